/**
 * Three real Meilisearch nodes joined through MEILI_NETWORK, against one node with the same
 * corpus: the same hits, totals and facet counts; writes through the product; a stopped node gives
 * a 503 that names it, never partial counts; a changed set of nodes rebuilds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startStack, ROOT, type Stack } from './helpers/stack.ts';
import { allHitIds, compareSearch, comparisonUrls, startNodes, type Nodes } from './helpers/nodes.ts';
import { allPassages, evaluateTerm } from './eval/keyword.ts';
import type { NetworkEngine } from '../src/engine/network.ts';
import type { NoticeDoc, PassageDoc } from '../src/documents.ts';
import { INDEX } from '../src/settings.ts';
import { NOTICE } from './helpers/notices.ts';
import { runIndex } from '../indexer/run.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
const spec = JSON.parse(readFileSync(`${ROOT}test/data/keyword.public.json`, 'utf8')) as { terms: string[]; synonyms: Record<string, string[]> };
const OTHERS = ['医疗废弃物', '蓬溪县', '整改', '健康', '三张清单', '民主集中制', 'drg', 'icu', '2024年', '县卫生健康局党组', '巡察 整改 台账'];

let nodes: Nodes;
let single: Stack;
let net: Stack;
let province: string;

beforeAll(async () => {
  nodes = await startNodes(3);
  [single, net] = await Promise.all([startStack({ adminKey: KEY }), startStack({ adminKey: KEY, env: { MEILI_NETWORK: nodes.spec } })]);
  province = Object.keys((await single.call(`/api/search?q=${encodeURIComponent('整改')}&limit=1`)).body.facets.province)[0]!;
});
afterAll(async () => {
  await Promise.all([single?.close(), net?.close()]);
  await nodes?.close();
});

const network = () => net.runtime.engine as NetworkEngine;

describe('placement', () => {
  it('puts each notice and all its passages on one node, and every node holds some', async () => {
    const where = new Map<string, Set<string>>();
    for (const name of nodes.names) {
      const node = network().node(name);
      const passages = await node.index<PassageDoc>(INDEX.passages).fetchDocuments({ limit: 10_000, fields: ['noticeId'] });
      const notices = await node.index<NoticeDoc>(INDEX.notices).fetchDocuments({ limit: 10_000, fields: ['id'] });
      expect(passages.results.length).toBeGreaterThan(0);
      const held = new Set(notices.results.map((n) => n.id));
      for (const p of passages.results) {
        expect(held.has(p.noticeId)).toBe(true);
        where.set(p.noticeId, (where.get(p.noticeId) ?? new Set()).add(name));
      }
    }
    for (const holders of where.values()) expect(holders.size).toBe(1);
    expect((await allPassages(net)).length).toBe((await allPassages(single)).length);
  });
});

describe('the same answers as one node', () => {
  it.each(comparisonUrls([...spec.terms, ...OTHERS], 'PROVINCE'))('%s', async (url) => {
    const c = await compareSearch(single, net, url.replace('PROVINCE', encodeURIComponent(province)));
    expect(c).toMatchObject({ status: [200, 200], facetMismatches: [], sameRanking: true, equal: true });
    expect(c.total[1]).toBe(c.total[0]);
  });

  it('every page of every public term: the same passages', async () => {
    for (const term of spec.terms) {
      const [a, b] = await Promise.all([allHitIds(single, term), allHitIds(net, term)]);
      expect(b.total).toBe(a.total);
      expect(new Set(b.ids)).toEqual(new Set(a.ids));
    }
  });

  it('exactness holds on the network: every passage with the term, only those, true counts', async () => {
    const passages = await allPassages(net);
    for (const term of spec.terms) {
      const r = await evaluateTerm(net, passages, term, [[term, ...(spec.synonyms[term] ?? [])]]);
      expect({ term, precision: r.precision, recall: r.recall, countsEqual: r.countsEqual }).toEqual({ term, precision: 1, recall: 1, countsEqual: true });
    }
  });

  it('notices, a notice with its passages, a passage, suggestions and health', async () => {
    for (const url of ['/api/notices?limit=100', `/api/notices?limit=100&province=${encodeURIComponent(province)}`, `/api/suggest?q=${encodeURIComponent('巡察')}`]) {
      const [a, b] = await Promise.all([single.call(url), net.call(url)]);
      expect(b.status).toBe(200);
      if (url.startsWith('/api/notices')) {
        expect(b.body.total).toBe(a.body.total);
        expect(new Set(b.body.notices.map((n: { id: string }) => n.id))).toEqual(new Set(a.body.notices.map((n: { id: string }) => n.id)));
      } else {
        expect(new Set(b.body.suggestions)).toEqual(new Set(a.body.suggestions));
      }
    }
    const id = (await single.call('/api/notices?limit=1')).body.notices[0].id;
    const [a, b] = await Promise.all([single.call(`/api/notices/${id}`), net.call(`/api/notices/${id}`)]);
    expect(b.body).toEqual(a.body);
    const pid = a.body.passages[0].id;
    expect((await net.call(`/api/passages/${pid}`)).body).toEqual((await single.call(`/api/passages/${pid}`)).body);
    const h = await net.call('/healthz');
    expect(h.status).toBe(200);
    expect(h.body.passages).toBe((await single.call('/healthz')).body.passages);
  });
});

describe('writes through the product', () => {
  it('an index run in many batches (each task waited for once) rebuilds the network equal to one node', async () => {
    const summary = await runIndex(net.runtime.engine, net.runtime.indexContext(), { paths: [path.join(ROOT, 'data/corpus')], rebuild: true, batchSize: 40 });
    expect(summary.passages).toBeGreaterThan(400);
    expect((await allPassages(net)).length).toBe((await allPassages(single)).length);
    const c = await compareSearch(single, net, `/api/search?q=${encodeURIComponent('医共体')}`);
    expect(c).toMatchObject({ status: [200, 200], facetMismatches: [], equal: true });
  });

  it('an upload and a delete leave the network equal to one node', async () => {
    const body = JSON.stringify({ name: 'network-test.txt', content: NOTICE });
    for (const s of [single, net]) expect((await s.call('/api/admin/documents', { method: 'POST', headers: auth, body })).status).toBe(200);
    for (const url of [`/api/search?q=${encodeURIComponent('鹦鹉螺')}&limit=100`, `/api/search?q=${encodeURIComponent('整改')}&limit=100`]) {
      expect((await compareSearch(single, net, url)).equal).toBe(true);
    }
    const id = (await net.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`)).body.hits[0].noticeId;
    for (const s of [single, net]) expect((await s.call(`/api/admin/notices/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await net.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`)).body.total).toBe(0);
    expect((await compareSearch(single, net, `/api/search?q=${encodeURIComponent('整改')}&limit=100`)).equal).toBe(true);
    for (const s of [single, net]) rmSync(path.join(s.services.uploadsDir, 'network-test.txt'), { force: true });
  });
});

describe('a node stops', () => {
  it('an index swap happens on every node or on none', async () => {
    const e = network();
    for (const [uid, marker] of [['swap_a', 'a'], ['swap_b', 'b']] as const) {
      await e.wait(await e.index(uid).create('id'));
      for (const name of nodes.names) {
        const node = e.node(name);
        await node.wait(await node.index<{ id: string; marker: string }>(uid).addDocuments([{ id: `${name}-${marker}`, marker }]));
      }
    }
    await nodes.stop(2);
    try {
      await expect(e.swap([['swap_a', 'swap_b']])).rejects.toMatchObject({ name: 'NetworkError', nodes: [nodes.names[2]] });
      for (const name of nodes.names.slice(0, 2)) {
        const docs = await e.node(name).index<{ id: string; marker: string }>('swap_a').fetchDocuments({ limit: 10 });
        expect(docs.results.map((d) => d.marker)).toEqual(['a']);
      }
    } finally {
      await nodes.restart(2);
    }
    for (const uid of ['swap_a', 'swap_b']) await e.wait(await e.index(uid).delete());
  });

  it('answers 503 naming the node, never partial counts, and recovers when it is back', async () => {
    const down = nodes.names[1]!;
    // Fresh answers: this is about the engine path. The response cache may still serve a whole
    // answer it made before, within its version's bound (1 s; docs/cache.md), which is not partial.
    const fresh = { headers: { 'cache-control': 'no-cache' } };
    await nodes.stop(1);
    try {
      // Several searches, so that each node takes its turn coordinating (the stopped one too).
      for (const url of comparisonUrls(['整改', '医共体', '台账', '健康']).slice(0, 8)) {
        const { status, body } = await net.call(url, fresh);
        expect({ url, status, code: body.error?.code, nodes: body.error?.nodes }).toEqual({ url, status: 503, code: 'ENGINE_NODES_UNAVAILABLE', nodes: [down] });
        expect(body.total).toBeUndefined();
        expect(body.error.message).toContain(down);
      }
      for (const url of ['/api/notices', '/api/suggest?q=' + encodeURIComponent('巡察')]) expect((await net.call(url, fresh)).status).toBe(503);
      const h = await net.call('/healthz');
      expect(h.status).toBe(503);
      expect(h.body.status).toContain(down);
      const up = await net.call('/api/admin/documents', { method: 'POST', headers: auth, body: JSON.stringify({ name: 'while-down.txt', content: NOTICE }) });
      expect({ status: up.status, nodes: up.body.error?.nodes }).toEqual({ status: 503, nodes: [down] });
    } finally {
      rmSync(path.join(net.services.uploadsDir, 'while-down.txt'), { force: true });
      await nodes.restart(1);
      // The failed upload is mended by a run of its own once the node is back: done before another product uses these nodes.
      await net.services.settled();
    }
    for (const url of comparisonUrls(['整改', '医共体']).slice(0, 6)) expect((await compareSearch(single, net, url)).equal).toBe(true);
  });
});

describe('a different set of nodes', () => {
  it('rebuilds, placing every notice again, and answers as one node', async () => {
    const two = JSON.stringify((JSON.parse(nodes.spec) as unknown[]).slice(0, 2));
    const smaller = await startStack({ env: { MEILI_NETWORK: two }, index: false });
    try {
      const summary = await smaller.services.start();
      expect(summary.rebuilt).toBe(true);
      for (const url of comparisonUrls(['整改', '医共体', '台账'])) expect((await compareSearch(single, smaller, url)).equal).toBe(true);
    } finally {
      await smaller.close();
    }
  });
});
