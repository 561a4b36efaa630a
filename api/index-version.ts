/**
 * The index version: what a cached answer (api/response-cache.ts) and an ETag are valid for. It
 * is the engine's mark of its newest applied write (`Engine.lastWrite`), so a write changes it
 * whichever process sent it: this API, another API process on the same engine, or the index CLI.
 *
 * The mark is read from the engine, not kept here, because only the engine sees every writer. It
 * is read at most about once per `refreshAfterMs` under load (in the background, the requests
 * keep the version they have), and a version read more than `maxAgeMs` ago is never used: the
 * request that finds it so old waits for a fresh read. So another process's write reaches this
 * one's cache within `maxAgeMs` (1 s by default). A write of this process calls `changed()` when
 * it finishes, which drops the version at once: no request after it sees an answer from before.
 *
 * @example
 * const version = createIndexVersion(engine);
 * const v = await version.current(); // undefined: the engine cannot say; serve nothing from a cache
 */
import type { Engine } from '../src/engine/port.ts';

export interface IndexVersion {
  /** The version, read from the engine at most `maxAgeMs` ago; undefined when the engine does not answer. */
  current(): Promise<string | undefined>;
  /** A write of this process has finished: forget the version and read it again. */
  changed(): Promise<void>;
}

export interface IndexVersionOptions {
  /** A version older than this is not used: the bound on how late another process's write is seen. */
  maxAgeMs?: number;
  /** A version older than this is read again in the background, so steady traffic never waits. */
  refreshAfterMs?: number;
  /** Timeout of one read. */
  timeoutMs?: number;
  now?: () => number;
}

const defaults = { maxAgeMs: 1_000, refreshAfterMs: 500, timeoutMs: 2_000, now: () => performance.now() };

export function createIndexVersion(engine: Pick<Engine, 'lastWrite'>, options: IndexVersionOptions = {}): IndexVersion {
  const opts = { ...defaults, ...options } satisfies Required<IndexVersionOptions>;
  let value: string | undefined;
  let readAt = -Infinity;
  let reading: Promise<string | undefined> | undefined;
  // A read that started before a write finished must not set the version after it.
  let generation = 0;

  function read(): Promise<string | undefined> {
    if (reading) return reading;
    const started = opts.now();
    const gen = generation;
    const r = engine.lastWrite(opts.timeoutMs).then(
      (v) => v,
      () => undefined,
    ).then((v) => {
      if (gen !== generation) return v;
      value = v;
      readAt = v === undefined ? -Infinity : started;
      reading = undefined;
      return v;
    });
    reading = r;
    return r;
  }

  return {
    async current() {
      const age = opts.now() - readAt;
      if (value !== undefined && age < opts.maxAgeMs) {
        if (age >= opts.refreshAfterMs) void read();
        return value;
      }
      return read();
    },
    async changed() {
      generation++;
      value = undefined;
      readAt = -Infinity;
      reading = undefined;
      await read();
    },
  };
}
