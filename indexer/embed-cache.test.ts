import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmbedder, type Embedder } from '../src/embed.ts';
import { embedCacheKey, embedThroughCache, openEmbedCache } from './embed-cache.ts';
import { ensureModel } from './model.ts';

const RECORD_BYTES = 32 + 512 * 4 + 4;
const temps: string[] = [];

async function cachePath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'embed-cache-test-'));
  temps.push(dir);
  return join(dir, 'sub', 'embed-cache.bin'); // the directory is created on open
}

/** A deterministic unit-ish vector that differs per seed. */
function vector(seed: number): Float32Array {
  return Float32Array.from({ length: 512 }, (_, i) => Math.sin(seed * 1000 + i));
}

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('openEmbedCache', () => {
  test('keys are the sha256 of the exact UTF-8 text', () => {
    expect(embedCacheKey('村卫生室')).toBe(createHash('sha256').update(Buffer.from('村卫生室', 'utf8')).digest('hex'));
    expect(embedCacheKey('村卫生室 ')).not.toBe(embedCacheKey('村卫生室'));
  });

  test('vectors survive a reopen bit for bit', async () => {
    const path = await cachePath();
    const cache = await openEmbedCache(path);
    expect(cache.size).toBe(0);
    const keys = ['医共体', '村卫生室', '党风廉政'].map(embedCacheKey);
    keys.forEach((key, i) => cache.set(key, vector(i)));
    expect(cache.get(keys[1]!)).toEqual(vector(1)); // readable before the flush
    await cache.flush();

    const reopened = await openEmbedCache(path);
    expect(reopened.size).toBe(3);
    expect(reopened.dropped).toBe(0);
    keys.forEach((key, i) => expect(Array.from(reopened.get(key)!)).toEqual(Array.from(vector(i))));
    expect(reopened.get(embedCacheKey('not stored'))).toBeUndefined();
  });

  test('setting a key already held writes nothing more', async () => {
    const path = await cachePath();
    const cache = await openEmbedCache(path);
    cache.set(embedCacheKey('a'), vector(1));
    await cache.flush();
    const size = (await stat(path)).size;
    cache.set(embedCacheKey('a'), vector(1));
    await cache.flush();
    expect((await stat(path)).size).toBe(size);
    expect(cache.size).toBe(1);
  });

  test('a truncated last record (a crash mid-write) is dropped, and later appends stay readable', async () => {
    const path = await cachePath();
    const cache = await openEmbedCache(path);
    for (let i = 0; i < 3; i++) cache.set(embedCacheKey(`passage ${i}`), vector(i));
    await cache.flush();
    const full = (await stat(path)).size;
    await truncate(path, full - 1000); // the third record is torn

    const reopened = await openEmbedCache(path);
    expect(reopened.size).toBe(2);
    expect(reopened.dropped).toBe(1);
    expect(reopened.has(embedCacheKey('passage 2'))).toBe(false);
    expect((await stat(path)).size).toBe(full - RECORD_BYTES); // the torn bytes are cut off

    reopened.set(embedCacheKey('passage 2'), vector(2));
    reopened.set(embedCacheKey('passage 3'), vector(3));
    await reopened.flush();
    const third = await openEmbedCache(path);
    expect(third.size).toBe(4);
    expect(third.dropped).toBe(0);
    for (let i = 0; i < 4; i++) expect(Array.from(third.get(embedCacheKey(`passage ${i}`))!)).toEqual(Array.from(vector(i)));
  });

  test('a damaged record in the middle is skipped; the others are kept', async () => {
    const path = await cachePath();
    const cache = await openEmbedCache(path);
    for (let i = 0; i < 3; i++) cache.set(embedCacheKey(`passage ${i}`), vector(i));
    await cache.flush();
    const size = (await stat(path)).size;
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from([1, 2, 3, 4]), 0, 4, size - RECORD_BYTES * 2 + 500); // inside record 1
    await handle.close();

    const reopened = await openEmbedCache(path);
    expect(reopened.dropped).toBe(1);
    expect(reopened.has(embedCacheKey('passage 1'))).toBe(false);
    expect(Array.from(reopened.get(embedCacheKey('passage 0'))!)).toEqual(Array.from(vector(0)));
    expect(Array.from(reopened.get(embedCacheKey('passage 2'))!)).toEqual(Array.from(vector(2)));
  });

  test('a file written for another model or dimension count starts afresh', async () => {
    const path = await cachePath();
    const cache = await openEmbedCache(path);
    cache.set(embedCacheKey('x'), vector(1));
    await cache.flush();
    expect((await openEmbedCache(path, { model: 'another-model' })).size).toBe(0);
    expect((await openEmbedCache(path, { dimensions: 768 })).size).toBe(0);
  });

  test('bad keys and wrong-length vectors are refused', async () => {
    const cache = await openEmbedCache(await cachePath());
    expect(() => cache.set('村卫生室', vector(1))).toThrow(TypeError);
    expect(() => cache.set(embedCacheKey('x'), new Float32Array(384))).toThrow(RangeError);
  });
});

describe('embedThroughCache with the real model', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await createEmbedder({ modelDir: (await ensureModel()).modelDir });
  });

  afterAll(async () => {
    await embedder?.dispose();
  });

  test('re-embedding unchanged passages runs no inference, even after a reopen', async () => {
    const path = await cachePath();
    const passages = [
      '加强村卫生室建设,消除行政村卫生室空白点',
      '深入推进紧密型县域医共体建设',
      '加强村卫生室建设,消除行政村卫生室空白点', // the same text twice is embedded once
      '严格落实党风廉政建设主体责任',
    ];
    const first = await embedThroughCache(passages, { embedder, cache: await openEmbedCache(path) });
    expect(first.embedded).toBe(3);
    expect(first.vectors).toHaveLength(4);
    expect(Array.from(first.vectors[2]!)).toEqual(Array.from(first.vectors[0]!));

    const before = embedder.stats.inferences;
    const again = await embedThroughCache(passages, { embedder, cache: await openEmbedCache(path) });
    expect(again.embedded).toBe(0);
    expect(embedder.stats.inferences).toBe(before);
    again.vectors.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(first.vectors[i]!)));

    // One edited passage costs one inference.
    const edited = [...passages.slice(0, 3), '严格落实党风廉政建设主体责任和监督责任'];
    const progress: Array<[number, number]> = [];
    const third = await embedThroughCache(edited, {
      embedder,
      cache: await openEmbedCache(path),
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(third.embedded).toBe(1);
    expect(embedder.stats.inferences).toBe(before + 1);
    expect(progress).toEqual([[1, 1]]);
  });
});
