/**
 * Similar measures, hybrid and semantic search against a real Meilisearch and the real embedding
 * model (MODEL_DIR, default var/models: fetched there by `npm start` / `npm run model`, or by the
 * first of these tests), through the HTTP app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, MODEL_DIR, WITH_EMBEDDINGS, type Stack } from './helpers/stack.ts';
import { allPassages, type TruthPassage } from './eval/keyword.ts';
import { normalize } from '../src/normalize.ts';
import { ensureModel, modelPath, ONNX_FILE } from '../indexer/model.ts';
import type { PassageDoc } from '../src/documents.ts';
import { INDEX } from '../src/settings.ts';
import { createSimilar } from '../src/similar.ts';
import { contentTerms } from '../src/segment.ts';
import type { Engine } from '../src/engine/port.ts';

let stack: Stack;
let passages: Array<TruthPassage & { noticeId?: string }>;

interface SimilarBody {
  passageId: string | null;
  hits: Array<{ id: string; noticeId: string; text: string; highlight: string; similarity: number; score: number; duplicates: string[]; notice: { province: string | null; level: string } }>;
}

const post = (body: unknown) => stack.call<SimilarBody>('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const search = (qs: string) => stack.call(`/api/search?${qs}`);

beforeAll(async () => {
  await ensureModel({ modelDir: MODEL_DIR });
  stack = await startStack({ env: WITH_EMBEDDINGS });
  passages = await allPassages(stack);
}, 600_000);
afterAll(async () => stack?.close());

/** Passages with their notice, from the engine. */
async function passagesWithNotice(): Promise<Array<{ id: string; noticeId: string; normText: string }>> {
  const r = await stack.runtime.engine.index<PassageDoc>(INDEX.passages).fetchDocuments({ limit: 10_000, fields: ['id', 'noticeId', 'normText'] });
  return r.results;
}

describe('similar measures to a text', () => {
  it('加强村卫生室建设,消除行政村卫生室空白点 → measures about village clinics first, from several notices', async () => {
    const { status, body } = await post({ text: '加强村卫生室建设,消除行政村卫生室空白点', limit: 10 });
    expect(status).toBe(200);
    const top = body.hits.slice(0, 5);
    for (const h of top) expect(normalize(h.text)).toMatch(/村卫生室|村卫生站|村医/);
    expect(new Set(top.map((h) => h.noticeId)).size).toBeGreaterThanOrEqual(2);
    // Most similar first, with a similarity score.
    for (const h of body.hits) expect(h.similarity).toBeGreaterThan(0);
    expect(body.hits.map((h) => h.score)).toEqual([...body.hits.map((h) => h.score)].sort((a, b) => b - a));
  });

  it('applies the same filters as search', async () => {
    const sichuan = await post({ text: '加强村卫生室建设', limit: 20, filters: { province: '四川省' } });
    expect(sichuan.body.hits.length).toBeGreaterThan(0);
    for (const h of sichuan.body.hits) expect(h.notice.province).toBe('四川省');
    const county = await post({ text: '加强村卫生室建设', limit: 20, filters: { level: '县' } });
    for (const h of county.body.hits) expect(h.notice.level).toBe('县');
    const hostile = await post({ text: '加强村卫生室建设', filters: { province: '四川省" OR province != "x' } });
    expect(hostile.body.hits).toEqual([]);
  });

  it('collapses a measure published twice into one hit listing its copy', async () => {
    const { body } = await post({ text: '由县医疗质量控制中心牵头,对各基层医疗机构开展医疗质量控制检查', limit: 10 });
    const copies = body.hits.filter((h) => normalize(h.text).includes('由县医疗质量控制中心牵头,县人民医院、县中医医院配合'));
    expect(copies).toHaveLength(1);
    expect(copies[0]!.duplicates).toHaveLength(1);
    const ids = body.hits.flatMap((h) => [h.id, ...h.duplicates]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('validates its body', async () => {
    expect((await post({})).status).toBe(400);
    expect((await post({ text: '医共体', limit: 0 })).status).toBe(400);
    expect((await post({ text: '医共体', filters: { colour: 'red' } })).status).toBe(400);
  });
});

describe('similar measures to a passage', () => {
  it('never returns the passage itself or its notice, unless the notice is asked for', async () => {
    const all = await passagesWithNotice();
    const byId = new Map(all.map((p) => [p.id, p]));
    const sample = all.filter((_, i) => i % 50 === 7);
    expect(sample.length).toBeGreaterThan(5);
    for (const p of sample) {
      const other = await stack.call<SimilarBody>(`/api/passages/${p.id}/similar?limit=20`);
      expect(other.status).toBe(200);
      expect(other.body.passageId).toBe(p.id);
      for (const h of other.body.hits) {
        expect(h.id).not.toBe(p.id);
        expect(h.noticeId).not.toBe(p.noticeId);
        for (const d of h.duplicates) expect(byId.get(d)!.noticeId).not.toBe(p.noticeId);
      }
      const same = await stack.call<SimilarBody>(`/api/passages/${p.id}/similar?limit=20&sameNotice=true`);
      for (const h of same.body.hits) expect([h.id, ...h.duplicates]).not.toContain(p.id);
    }
  });

  it('with sameNotice=true includes the own notice', async () => {
    const all = await passagesWithNotice();
    // A measure of 蓬溪县's notice: its closest measures include its neighbours in that notice.
    const p = all.find((x) => x.normText.includes('无村医执业的村卫生室'))!;
    const same = await stack.call<SimilarBody>(`/api/passages/${p.id}/similar?limit=10&sameNotice=true`);
    expect(same.body.hits.some((h) => h.noticeId === p.noticeId)).toBe(true);
  });

  it('finds the village-clinic measures of another county for one of 蓬溪县', async () => {
    const all = await passagesWithNotice();
    const p = all.find((x) => x.normText.includes('全面消除行政村卫生室'))!;
    const { body } = await stack.call<SimilarBody>(`/api/passages/${p.id}/similar?limit=5`);
    expect(normalize(body.hits[0]!.text)).toContain('村卫生室');
  });

  it('filters apply: province=四川省 gives only 四川省', async () => {
    const all = await passagesWithNotice();
    const p = all.find((x) => x.normText.includes('意识形态'))!;
    const { status, body } = await stack.call<SimilarBody>(`/api/passages/${p.id}/similar?limit=30&province=${encodeURIComponent('四川省')}`);
    expect(status).toBe(200);
    expect(body.hits.length).toBeGreaterThan(0);
    for (const h of body.hits) expect(h.notice.province).toBe('四川省');
  });

  it('answers 404 for an unknown passage', async () => {
    const { status, body } = await stack.call('/api/passages/doesnotexist/similar');
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });
});

describe('word frequencies', () => {
  it('are counted once per index version: the same rankings from fewer engine requests, counted afresh at a new version', async () => {
    const { engine, embedder, segmenter, dict } = stack.runtime;
    const terms = contentTerms(segmenter, dict.stopWords);
    let requests = 0;
    // The real engine, its multi-searches counted.
    const counted = new Proxy(engine, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'multiSearch') requests++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Engine;
    let version: string | undefined = 'v1';
    const kept = createSimilar(counted, embedder!, { terms, version: async () => version });
    const afresh = createSimilar(engine, embedder!, { terms });
    const texts = ['加强村卫生室建设,消除行政村卫生室空白点', '医疗费用过快增长的整改措施', '规范医保基金使用,开展专项检查'];
    const run = async (similar: typeof kept, text: string) => {
      const r = await similar.rank({ normText: normalize(text), text }, { limit: 10 });
      return { ids: r.hits.map((h) => h.passage.id), scores: r.hits.map((h) => h.score), marks: r.marks };
    };
    const requestsOf = async (text: string) => {
      const before = requests;
      const ranking = await run(kept, text);
      expect(ranking).toEqual(await run(afresh, text));
      return requests - before;
    };
    for (const text of texts) {
      const first = await requestsOf(text);
      const again = await requestsOf(text);
      // The counts are one multi-search of their own; the rarest words' passages another.
      expect(again).toBe(first - 1);
      version = 'v2';
      expect(await requestsOf(text)).toBe(first);
      version = undefined;
      expect(await requestsOf(text)).toBe(first);
      expect(await requestsOf(text)).toBe(first);
      version = 'v1';
    }
  });
});

describe('hybrid and semantic search', () => {
  it('hybrid: 医疗费用过快增长的整改措施 finds measures about 控制医药费用 without those words', async () => {
    const q = '医疗费用过快增长的整改措施';
    const keyword = await search(`q=${encodeURIComponent(q)}`);
    expect(keyword.body.total).toBe(0);
    const { status, body } = await search(`q=${encodeURIComponent(q)}&mode=hybrid&limit=5`);
    expect(status).toBe(200);
    expect(body.mode).toBe('hybrid');
    expect(body.hits.some((h: { text: string }) => normalize(h.text).includes('控制医药费用'))).toBe(true);
  });

  it('hybrid: an exact term ranks every passage that has it first, then similar ones', async () => {
    const truth = passages.filter((p) => p.normText.includes('医共体')).length;
    const { body } = await search(`q=${encodeURIComponent('医共体')}&mode=hybrid&limit=50`);
    expect(body.total).toBeGreaterThan(truth);
    const head = body.hits.slice(0, truth);
    for (const h of head) expect(normalize(h.text)).toContain('医共体');
    for (const h of body.hits.slice(truth)) expect(normalize(h.text)).not.toContain('医共体');
    for (const h of head) expect(h.highlight).toContain('<mark>');
    // Pages continue across the exact and the similar part without gaps or repeats.
    const ids: string[] = [];
    for (let offset = 0; offset < 50; offset += 7) {
      const page = await search(`q=${encodeURIComponent('医共体')}&mode=hybrid&limit=7&offset=${offset}`);
      ids.push(...page.body.hits.map((h: { id: string }) => h.id));
    }
    expect(ids.slice(0, 50)).toEqual(body.hits.map((h: { id: string }) => h.id));
    // Facets count the whole list.
    const counted = Object.values(body.facets.level as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(counted).toBe(body.total);
  });

  it('keyword mode is unchanged by vectors: exact totals', async () => {
    const { body } = await search(`q=${encodeURIComponent('医共体')}`);
    expect(body.total).toBe(passages.filter((p) => p.normText.includes('医共体')).length);
  });

  it('semantic: vectors only, same response shape, filters apply', async () => {
    const { status, body } = await search(`q=${encodeURIComponent('基层医生不足怎么解决')}&mode=semantic&limit=10&province=${encodeURIComponent('四川省')}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'semantic', offset: 0, limit: 10 });
    expect(body.hits).toHaveLength(10);
    for (const h of body.hits) expect(h.notice.province).toBe('四川省');
    expect(Object.keys(body.facets.province)).toEqual(['四川省']);
  });

  it('group=notice: one hit per notice, exact notices first', async () => {
    for (const mode of ['hybrid', 'semantic']) {
      const { status, body } = await search(`q=${encodeURIComponent('医共体')}&mode=${mode}&group=notice&limit=50`);
      expect(status).toBe(200);
      const notices = body.hits.map((h: { noticeId: string }) => h.noticeId);
      expect(new Set(notices).size).toBe(notices.length);
    }
  });

  it('a repeated query costs no inference (query embeddings are cached)', async () => {
    const q = encodeURIComponent('村医队伍青黄不接');
    await search(`q=${q}&mode=semantic`);
    const before = stack.runtime.embedder!.stats;
    await search(`q=${q}&mode=semantic`);
    await search(`q=${q}&mode=hybrid`);
    const after = stack.runtime.embedder!.stats;
    expect(after.inferences).toBe(before.inferences);
    expect(after.queryCacheHits).toBeGreaterThan(before.queryCacheHits);
  });
});

describe('indexing with vectors', () => {
  it('stores a vector on every passage', async () => {
    const stats = (await stack.runtime.engine.index(INDEX.passages).stats())!;
    expect(stats.numberOfEmbeddedDocuments).toBe(stats.numberOfDocuments);
  });

  it('re-indexing an unchanged corpus embeds nothing, incrementally or rebuilt', async () => {
    const before = stack.runtime.embedder!.stats;
    const again = await stack.services.start();
    expect(again.unchanged).toBeGreaterThan(0);
    const rebuilt = await stack.services.reindex();
    expect(rebuilt.rebuilt).toBe(true);
    expect(rebuilt.passages).toBe(passages.length);
    const after = stack.runtime.embedder!.stats;
    expect(after.inferences).toBe(before.inferences);
    expect(after.textsEmbedded).toBe(before.textsEmbedded);
    const stats = (await stack.runtime.engine.index(INDEX.passages).stats())!;
    expect(stats.numberOfEmbeddedDocuments).toBe(stats.numberOfDocuments);
  });
});

describe('without a usable model', () => {
  it('a corrupt model file: the coded error is logged and answered, keyword search still works', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'notice-search-model-'));
    const lines: string[] = [];
    let broken: Stack | undefined;
    try {
      cpSync(modelPath(MODEL_DIR), modelPath(dir), { recursive: true });
      // Same size, different bytes: only the hash can tell.
      const fd = openSync(path.join(modelPath(dir), ONNX_FILE), 'r+');
      writeSync(fd, Buffer.alloc(4096, 7), 0, 4096, 1_000_000);
      closeSync(fd);
      broken = await startStack({ env: { EMBEDDINGS: 'on', MODEL_DIR: dir }, log: (l) => lines.push(l) });
      expect(broken.runtime.modelError?.code).toBe('MODEL_CORRUPT');
      expect(lines.join('\n')).toMatch(/MODEL_CORRUPT.*npm run model/s);

      const keyword = await broken.call(`/api/search?q=${encodeURIComponent('医共体')}`);
      expect(keyword.status).toBe(200);
      expect(keyword.body.total).toBe(passages.filter((p) => p.normText.includes('医共体')).length);

      const similar = await broken.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '医共体' }) });
      expect(similar.status).toBe(503);
      expect(similar.body.error.code).toBe('MODEL_CORRUPT');
      expect(similar.body.error.message).toContain('npm run model');
      const hybrid = await broken.call(`/api/search?q=${encodeURIComponent('医共体')}&mode=hybrid`);
      expect(hybrid.status).toBe(503);
      expect(hybrid.body.error.code).toBe('MODEL_CORRUPT');
    } finally {
      await broken?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('EMBEDDINGS=off: 503 MODEL_UNAVAILABLE for the routes that need the model, keyword search as usual', async () => {
    const off = await startStack({ env: { EMBEDDINGS: 'off' } });
    try {
      const stats = (await off.runtime.engine.index(INDEX.passages).stats())!;
      expect(stats.numberOfEmbeddedDocuments).toBe(0);
      const r = await off.call(`/api/search?q=${encodeURIComponent('医共体')}&mode=semantic`);
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('MODEL_UNAVAILABLE');
      expect((await off.call(`/api/search?q=${encodeURIComponent('医共体')}`)).status).toBe(200);
    } finally {
      await off.close();
    }
  }, 300_000);
});
