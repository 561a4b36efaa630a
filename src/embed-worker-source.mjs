// Starts src/embed-worker.ts in a worker thread when running from source (tests, the tsx CLIs):
// Node 20 does not hand the parent thread's tsx loader to workers, so the worker registers it.
import { register } from 'tsx/esm/api';

register();
await import('./embed-worker.ts');
