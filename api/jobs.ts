/**
 * Admin jobs: long admin work (a rebuild, a backup) runs as a job with an id, so that no request
 * waits minutes on the engine. A route waits for its job up to ADMIN_WAIT_MS and answers its
 * result as before; past that it answers 202 with the job (`Location: /api/admin/jobs/<id>`),
 * and `GET /api/admin/jobs/:id` reports its step, then its result or its error. The last
 * `keep` jobs are remembered, in memory: a restart forgets them (the work itself is durable or
 * redone, see docs/operations.md).
 */
import { randomUUID } from 'node:crypto';
import { CodedError } from '../src/errors.ts';

export type JobState = 'running' | 'succeeded' | 'failed';

export interface JobView {
  id: string;
  kind: string;
  state: JobState;
  /** The step it is at (e.g. `snapshot`, `archive`, an index run's phase). */
  step: string | null;
  startedAt: string;
  finishedAt: string | null;
  result?: unknown;
  error?: { code: string; message: string };
}

export interface Job<T> {
  readonly id: string;
  readonly done: Promise<T>;
  view(): JobView;
}

export interface Jobs {
  /** Starts `work` now; it reports its steps through `step`. */
  start<T>(kind: string, work: (step: (name: string) => void) => Promise<T>): Job<T>;
  get(id: string): JobView | undefined;
}

export function createJobs(keep = 50): Jobs {
  const jobs = new Map<string, () => JobView>();
  return {
    start(kind, work) {
      const id = randomUUID();
      const view: JobView = { id, kind, state: 'running', step: null, startedAt: new Date().toISOString(), finishedAt: null };
      const done = work((name) => (view.step = name));
      done.then(
        (result) => Object.assign(view, { state: 'succeeded', result, finishedAt: new Date().toISOString() }),
        (e: unknown) => {
          const coded = e instanceof CodedError ? e : undefined;
          Object.assign(view, { state: 'failed', finishedAt: new Date().toISOString(), error: { code: coded?.code ?? 'INTERNAL', message: (e as Error).message } });
        },
      );
      jobs.set(id, () => ({ ...view }));
      // Map keeps insertion order: the first key is the oldest job.
      while (jobs.size > keep) jobs.delete(jobs.keys().next().value!);
      return { id, done, view: () => ({ ...view }) };
    },
    get: (id) => jobs.get(id)?.(),
  };
}

/** Whether `job` settles within `ms` (its outcome is then read from `job.done`). */
export async function settlesWithin(job: Job<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  const settled = job.done.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
