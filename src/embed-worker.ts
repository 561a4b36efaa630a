/**
 * The worker side of src/embed-thread.ts: one embedder (src/embed.ts) in a worker thread,
 * answering `embed` and `embedQuery` messages. onnxruntime-node runs inference synchronously on
 * the thread that calls it, so on the API's thread every embedding (about 0.25 s for a
 * 2,000-character text on 2 cores) would stall every other request, keyword searches included.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder, ModelError, type EmbedderOptions } from './embed.ts';
import type { Reply, Request } from './embed-thread.ts';

const port = parentPort!;
const send = (reply: Reply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  const embedder = await createEmbedder(workerData as EmbedderOptions);
  port.on('message', async (req: Request) => {
    try {
      if (req.kind === 'dispose') {
        await embedder.dispose();
        send({ id: req.id, kind: 'done', stats: embedder.stats });
        port.close();
        return;
      }
      const vectors =
        req.kind === 'embed'
          ? await embedder.embed(req.texts, (done, total) => send({ id: req.id, kind: 'progress', done, total }))
          : [await embedder.embedQuery(req.text, { instruction: req.instruction })];
      send({ id: req.id, kind: 'vectors', vectors, stats: embedder.stats }, vectors.map((v) => v.buffer as ArrayBuffer));
    } catch (err) {
      send({ id: req.id, kind: 'error', code: err instanceof ModelError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) });
    }
  });
  send({ id: 0, kind: 'ready' });
} catch (err) {
  send({ id: 0, kind: 'error', code: err instanceof ModelError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) });
}
