/**
 * The embed stage (src/embed.ts) in a worker thread, behind the same `Embedder` interface: the
 * API's own thread stays free for other requests while a text is embedded (onnxruntime-node
 * infers synchronously on its caller's thread: see src/embed-worker.ts). The model is loaded in
 * the worker only. A worker is the edge here, so its replies are turned back into ModelErrors.
 *
 * @example
 * const embedder = await createThreadedEmbedder({ modelDir });
 * const q = await embedder.embedQuery('村卫生室空白点', { instruction: true });
 * await embedder.dispose();
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DIMENSIONS, ModelError, type Embedder, type EmbedderOptions, type EmbedderStats, type ModelErrorCode } from './embed.ts';

export type Request =
  | { id: number; kind: 'embed'; texts: readonly string[] }
  | { id: number; kind: 'query'; text: string; instruction: boolean }
  | { id: number; kind: 'dispose' };

export type Reply =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'vectors'; vectors: Float32Array[]; stats: EmbedderStats }
  | { id: number; kind: 'done'; stats: EmbedderStats }
  | { id: number; kind: 'error'; code: ModelErrorCode | undefined; message: string };

/**
 * The worker's file: `embed-worker.mjs` beside the bundle `npm run build` writes (dist/), else,
 * from source, `embed-worker-source.mjs`, which loads `embed-worker.ts` through tsx.
 */
function workerFile(): URL {
  const bundled = new URL('./embed-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL('./embed-worker-source.mjs', import.meta.url);
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const toError = (r: { code: ModelErrorCode | undefined; message: string }) => (r.code ? new ModelError(r.code, r.message) : new Error(r.message));

export async function createThreadedEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const worker = new Worker(workerFile(), { workerData: options });
  let stats: EmbedderStats = { inferences: 0, textsEmbedded: 0, queryCacheHits: 0 };
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; progress?: ((done: number, total: number) => void) | undefined }>();
  let nextId = 1;
  let failure: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    waiting.set(0, { resolve: () => resolve(), reject });
  });
  worker.on('message', (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    if (reply.kind === 'progress') return w.progress?.(reply.done, reply.total);
    waiting.delete(reply.id);
    if (reply.kind === 'error') return w.reject(toError(reply));
    if (reply.kind === 'vectors' || reply.kind === 'done') stats = reply.stats;
    w.resolve(reply);
  });
  const fail = (err: Error) => {
    failure = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new ModelError('MODEL_LOAD_FAILED', `the embedding worker stopped (exit code ${code}); restart the service`)));
  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  // An idle worker does not keep a CLI from exiting; one at work does.
  worker.unref();

  function ask(req: WithoutId<Request>, progress?: (done: number, total: number) => void): Promise<Reply> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      if (waiting.size === 0) worker.ref();
      waiting.set(id, {
        resolve: (r) => {
          if (waiting.size === 0) worker.unref();
          resolve(r);
        },
        reject,
        progress,
      });
      worker.postMessage({ ...req, id } as Request);
    });
  }

  const vectorsOf = (r: Reply) => (r.kind === 'vectors' ? r.vectors : []);

  return {
    dimensions: DIMENSIONS,
    embed: async (texts, onProgress) => vectorsOf(await ask({ kind: 'embed', texts }, onProgress)),
    embedQuery: async (text, o) => vectorsOf(await ask({ kind: 'query', text, instruction: o.instruction }))[0]!,
    get stats() {
      return { ...stats };
    },
    async dispose() {
      if (!failure) await ask({ kind: 'dispose' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
