import { cp, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureModel, modelPath, ONNX_FILE } from '../indexer/model.ts';
import { createEmbedder, DIMENSIONS, ModelError, type Embedder } from './embed.ts';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

let modelDir: string;
let embedder: Embedder;
const temps: string[] = [];

beforeAll(async () => {
  // The I/O edge checks (or fetches) the model; the embedder is handed the verified directory.
  ({ modelDir } = await ensureModel());
  embedder = await createEmbedder({ modelDir });
});

afterAll(async () => {
  await embedder?.dispose();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('embed', () => {
  test('gives one 512-dimension unit vector per text, in input order', async () => {
    const texts = [
      '加强村卫生室建设,消除行政村卫生室空白点',
      '深入推进紧密型县域医共体建设',
      '严格落实党风廉政建设主体责任,持续深化以案促改',
    ];
    const progress: Array<[number, number]> = [];
    const vectors = await embedder.embed(texts, (done, total) => progress.push([done, total]));
    expect(embedder.dimensions).toBe(DIMENSIONS);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(512);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // With the default batch size of 1 a text's vector does not depend on what it is embedded with.
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(Array.from(alone!)).toEqual(Array.from(vectors[i]!));
    }
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  test('batched, each vector still belongs to its own text', async () => {
    const batched = await createEmbedder({ modelDir, batchSize: 4 });
    try {
      // Lengths deliberately out of order: batches are formed by length, results must not be.
      const texts = [
        '围绕群众看病难看病贵问题,持续深化医药卫生体制改革,推进分级诊疗制度建设,提升基层医疗卫生服务能力',
        '医共体',
        '严格执行中央八项规定精神',
        '开展医疗废弃物处置专项检查,规范医疗机构医疗废物分类收集、暂存和转运管理',
        '村卫生室',
        '落实一岗双责',
      ];
      const vectors = await batched.embed(texts);
      const progress: number[] = [];
      await batched.embed(texts, (done) => progress.push(done));
      expect(progress).toEqual([4, 6]);
      expect(batched.stats.inferences).toBe(4);
      for (const [i, text] of texts.entries()) {
        const [alone] = await embedder.embed([text]);
        const sims = vectors.map((v) => cosine(alone!, v));
        // Its own batched vector is the nearest, and nearly the same (int8 activations are
        // quantized per batch, so batch-mates move it a little).
        expect(sims.indexOf(Math.max(...sims))).toBe(i);
        expect(sims[i]).toBeGreaterThan(0.98);
      }
    } finally {
      await batched.dispose();
    }
  });

  test('a near-paraphrase is closer than an unrelated sentence', async () => {
    const pairs = [
      ['加强村卫生室建设,消除行政村卫生室空白点', '推进村级卫生室标准化建设,确保每个行政村都有卫生室和乡村医生'],
      ['深入推进紧密型县域医共体建设,推动优质医疗资源下沉', '加快县域医疗卫生共同体建设,促进县乡村医疗服务一体化'],
      ['严格落实党风廉政建设主体责任,深入开展廉政警示教育', '加强党风廉政建设,强化党员干部廉洁自律意识'],
    ] as const;
    const vectors = await embedder.embed(pairs.flat());
    for (let p = 0; p < pairs.length; p++) {
      const [a, b] = [vectors[2 * p]!, vectors[2 * p + 1]!];
      const paraphrase = cosine(a, b);
      for (let q = 0; q < pairs.length; q++) {
        if (q === p) continue;
        expect(paraphrase).toBeGreaterThan(cosine(a, vectors[2 * q]!));
        expect(paraphrase).toBeGreaterThan(cosine(a, vectors[2 * q + 1]!));
      }
    }
  });

  test('inputs longer than 512 tokens are truncated, not rejected', async () => {
    const head = '县卫生健康局党组坚持把巡察整改作为重要政治任务,'.repeat(30); // ~720 characters
    const [a, b, short] = await embedder.embed([head + '加强村卫生室建设。', head + '推进医共体建设。', head.slice(0, 100)]);
    expect(norm(a!)).toBeCloseTo(1, 5);
    // Both tails fall beyond the 510th token, so the model sees the same input.
    expect(cosine(a!, b!)).toBeGreaterThan(0.9999);
    expect(cosine(a!, short!)).toBeLessThan(0.9999);
  });

  test('an empty list embeds nothing', async () => {
    const before = embedder.stats.inferences;
    expect(await embedder.embed([])).toEqual([]);
    expect(embedder.stats.inferences).toBe(before);
  });
});

describe('embedQuery', () => {
  test('a repeated query is answered from the cache without inference', async () => {
    const query = '村卫生室空白点怎么整改';
    const before = embedder.stats;
    const first = await embedder.embedQuery(query, { instruction: false });
    expect(embedder.stats.inferences).toBe(before.inferences + 1);

    const second = await embedder.embedQuery(query, { instruction: false });
    expect(embedder.stats.inferences).toBe(before.inferences + 1);
    expect(embedder.stats.queryCacheHits).toBe(before.queryCacheHits + 1);
    expect(Array.from(second)).toEqual(Array.from(first));

    // A caller scaling its copy does not change what the cache hands out next.
    second.fill(0);
    expect(Array.from(await embedder.embedQuery(query, { instruction: false }))).toEqual(Array.from(first));
  });

  test('the instruction changes the vector and is cached separately', async () => {
    const query = '医共体建设推进情况';
    const plain = await embedder.embedQuery(query, { instruction: false });
    const before = embedder.stats.inferences;
    const instructed = await embedder.embedQuery(query, { instruction: true });
    expect(embedder.stats.inferences).toBe(before + 1);
    expect(norm(instructed)).toBeCloseTo(1, 5);
    expect(cosine(plain, instructed)).toBeLessThan(0.999);
    // Same as embedding the prefixed text as a passage.
    const [byHand] = await embedder.embed(['为这个句子生成表示以用于检索相关文章：' + query]);
    expect(cosine(byHand!, instructed)).toBeGreaterThan(0.9999);
  });

  test('the cache keeps the most recently used queries up to its size', async () => {
    const small = await createEmbedder({ modelDir, queryCacheSize: 2 });
    try {
      const ask = (q: string) => small.embedQuery(q, { instruction: false });
      await ask('村卫生室');
      await ask('医共体');
      await ask('村卫生室'); // hit: now the most recent
      await ask('党风廉政'); // evicts 医共体
      const before = small.stats.inferences;
      await ask('村卫生室');
      expect(small.stats.inferences).toBe(before);
      await ask('医共体');
      expect(small.stats.inferences).toBe(before + 1);
    } finally {
      await small.dispose();
    }
  });

  test('concurrent identical queries share one inference', async () => {
    const before = embedder.stats.inferences;
    const [a, b] = await Promise.all([
      embedder.embedQuery('乡村医生队伍建设', { instruction: false }),
      embedder.embedQuery('乡村医生队伍建设', { instruction: false }),
    ]);
    expect(embedder.stats.inferences).toBe(before + 1);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

describe('loading', () => {
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'embed-test-'));
    temps.push(dir);
    return dir;
  }

  test('an empty model directory fails with MODEL_MISSING saying what to do', async () => {
    const err = await createEmbedder({ modelDir: await tempDir() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('MODEL_MISSING');
    expect((err as ModelError).message).toContain('npm run model');
    expect((err as ModelError).message).toContain('MODEL_DIR');
  });

  test('an unparsable ONNX file, handed over unchecked, fails with MODEL_CORRUPT', async () => {
    const dir = await tempDir();
    await cp(modelPath(modelDir), modelPath(dir), { recursive: true });
    const handle = await open(join(modelPath(dir), ONNX_FILE), 'r+');
    await handle.write(Buffer.alloc(64, 0xff), 0, 64, 0); // wreck the protobuf header
    await handle.close();
    const err = await createEmbedder({ modelDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('MODEL_CORRUPT');
    expect((err as ModelError).message).toContain('npm run model');
  });

  test('bad options fail early', async () => {
    await expect(createEmbedder({ modelDir, batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(createEmbedder({ modelDir, threads: 1.5 })).rejects.toThrow(RangeError);
  });
});
