/**
 * A persistent cache of passage vectors, keyed by the sha256 of the exact text embedded, so that
 * re-indexing an unchanged passage embeds nothing.
 *
 * The file is append-only binary: a header naming the model and the dimension count, then
 * fixed-size records `key (32 bytes) | vector (dims × float32 LE) | crc32 (4 bytes)`. Fixed sizes
 * make a crash mid-write harmless: a torn last record is shorter than a record, so it is dropped
 * (and cut off, so later appends stay aligned); a record whose checksum fails is skipped. A file
 * written for another model or dimension count is started afresh rather than trusted.
 *
 * @example
 * ```ts
 * const cache = await openEmbedCache(readConfig().embedCacheFile);
 * const { vectors, embedded } = await embedThroughCache(texts, { embedder, cache });
 * // Run again over the same texts: embedded === 0.
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DIMENSIONS, MODEL_ID, type Embedder } from '../src/embed.ts';

const MAGIC = 'NSEC';
const VERSION = 1;
const KEY_BYTES = 32;
const CRC_BYTES = 4;
/** embedThroughCache writes new vectors out every this many texts. */
const FLUSH_EVERY = 256;
/** What produced the vectors: a different model, precision or pooling makes old vectors wrong. */
const DEFAULT_MODEL_TAG = `${MODEL_ID}:q8:cls:normalized`;

export interface EmbedCacheOptions {
  /** Vector length (default 512). */
  dimensions?: number;
  /** Names the model the vectors came from; a file with another tag is discarded. */
  model?: string;
}

export interface EmbedCache {
  /** The vector stored for `key`, or undefined. Do not modify it. */
  get(key: string): Float32Array | undefined;
  has(key: string): boolean;
  /**
   * Stores a vector in memory; `flush` writes it. A key already present is left alone: keys are
   * hashes of the exact text, so the same key always means the same vector.
   */
  set(key: string, vector: Float32Array): void;
  /** Appends the vectors set since the last flush, and syncs them to disk. */
  flush(): Promise<void>;
  /** Number of vectors held. */
  readonly size: number;
  /** Records dropped when the file was opened (a torn last record, a failed checksum). */
  readonly dropped: number;
}

/** The cache key of a text: sha256 of its UTF-8 bytes, hex. Hash exactly what is embedded. */
export function embedCacheKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function openEmbedCache(path: string, options: EmbedCacheOptions = {}): Promise<EmbedCache> {
  const dims = options.dimensions ?? DIMENSIONS;
  const header = encodeHeader(dims, options.model ?? DEFAULT_MODEL_TAG);
  const recordBytes = KEY_BYTES + dims * 4 + CRC_BYTES;
  const vectors = new Map<string, Float32Array>();
  let dropped = 0;

  await mkdir(dirname(path), { recursive: true });
  const data = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });

  if (data === null || data.length < header.length || !data.subarray(0, header.length).equals(header)) {
    // New, or written for another model: start a fresh file (atomically, so a crash here leaves
    // either the old file or a valid empty one).
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, header);
    await rename(tmp, path);
  } else {
    const body = data.length - header.length;
    const whole = Math.floor(body / recordBytes);
    for (let r = 0; r < whole; r++) {
      const at = header.length + r * recordBytes;
      const record = data.subarray(at, at + recordBytes);
      const payload = record.subarray(0, recordBytes - CRC_BYTES);
      if (crc32(payload) !== record.readUInt32LE(recordBytes - CRC_BYTES)) {
        dropped++;
        continue;
      }
      vectors.set(record.subarray(0, KEY_BYTES).toString('hex'), decodeVector(record, KEY_BYTES, dims));
    }
    if (body % recordBytes !== 0) {
      // A torn last record: drop it, and cut it off so the next append starts on a boundary.
      dropped++;
      const handle = await open(path, 'r+');
      try {
        await handle.truncate(header.length + whole * recordBytes);
      } finally {
        await handle.close();
      }
    }
  }

  let pending: Array<[string, Float32Array]> = [];
  let writing: Promise<void> = Promise.resolve();

  async function append(records: Array<[string, Float32Array]>): Promise<void> {
    const buf = Buffer.alloc(records.length * recordBytes);
    records.forEach(([key, vector], r) => {
      const at = r * recordBytes;
      buf.write(key, at, KEY_BYTES, 'hex');
      for (let i = 0; i < dims; i++) buf.writeFloatLE(vector[i]!, at + KEY_BYTES + i * 4);
      buf.writeUInt32LE(crc32(buf.subarray(at, at + recordBytes - CRC_BYTES)), at + recordBytes - CRC_BYTES);
    });
    const handle = await open(path, 'a');
    try {
      // Someone removed the file while it was open: give the new one its header back.
      if ((await handle.stat()).size === 0) await handle.write(header);
      await handle.write(buf);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  return {
    get: (key) => vectors.get(key),
    has: (key) => vectors.has(key),
    set(key, vector) {
      if (!/^[0-9a-f]{64}$/.test(key)) throw new TypeError(`embed cache key must be a sha256 hex digest, got ${JSON.stringify(key)}`);
      if (vector.length !== dims) throw new RangeError(`embed cache holds ${dims}-dimension vectors, got ${vector.length}`);
      if (vectors.has(key)) return;
      const copy = Float32Array.from(vector);
      vectors.set(key, copy);
      pending.push([key, copy]);
    },
    flush() {
      // Flushes run one after another so records never interleave.
      writing = writing.then(async () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        try {
          await append(batch);
        } catch (err) {
          pending = batch.concat(pending);
          throw err;
        }
      });
      const result = writing;
      writing = writing.catch(() => undefined);
      return result;
    },
    get size() {
      return vectors.size;
    },
    get dropped() {
      return dropped;
    },
  };
}

export interface EmbedThroughCacheOptions {
  embedder: Pick<Embedder, 'embed'>;
  cache: EmbedCache;
  /** Called as texts are embedded; `done`/`total` count only the texts the cache lacked. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Vectors for `texts` (in order), embedding only the texts the cache lacks and storing those.
 * Identical texts in one call are embedded once. New vectors are flushed every
 * `FLUSH_EVERY` texts, so an interrupted run keeps most of what it paid for.
 */
export async function embedThroughCache(
  texts: readonly string[],
  { embedder, cache, onProgress }: EmbedThroughCacheOptions,
): Promise<{ vectors: Float32Array[]; embedded: number }> {
  const keys = texts.map(embedCacheKey);
  const missing = new Map<string, string>();
  keys.forEach((key, i) => {
    if (!cache.has(key) && !missing.has(key)) missing.set(key, texts[i]!);
  });
  const todo = [...missing];
  for (let start = 0; start < todo.length; start += FLUSH_EVERY) {
    const chunk = todo.slice(start, start + FLUSH_EVERY);
    const vectors = await embedder.embed(
      chunk.map(([, text]) => text),
      onProgress && ((done) => onProgress(start + done, todo.length)),
    );
    chunk.forEach(([key], i) => cache.set(key, vectors[i]!));
    await cache.flush();
  }
  return { vectors: keys.map((key) => cache.get(key)!), embedded: todo.length };
}

function encodeHeader(dims: number, model: string): Buffer {
  const tag = Buffer.from(model, 'utf8');
  const head = Buffer.alloc(16);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(VERSION, 4);
  head.writeUInt32LE(dims, 8);
  head.writeUInt32LE(tag.length, 12);
  return Buffer.concat([head, tag]);
}

function decodeVector(buf: Buffer, at: number, dims: number): Float32Array {
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = buf.readFloatLE(at + i * 4);
  return v;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE), written out because zlib.crc32 needs Node ≥ 20.15. */
function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
