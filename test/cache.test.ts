/**
 * The response cache and HTTP caching (api/response-cache.ts, api/index-version.ts) against a
 * real Meilisearch, the real model and the real app: a cached answer is the fresh one; a write
 * retires cached search, notices and similar answers at once in the process that made it, and
 * within the stated bound (1 s) in a second API process on the same engine; ETag and 304;
 * CACHE_BYTES=0 keeps nothing. No timings: speed is `npm run bench`'s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PassageDoc } from '../src/documents.ts';
import { freePort } from '../src/engine/process.ts';
import { INDEX } from '../src/settings.ts';
import { ensureModel } from '../indexer/model.ts';
import { NOTICE } from './helpers/notices.ts';
import { MODEL_DIR, ROOT, startStack, WITH_EMBEDDINGS, type Stack } from './helpers/stack.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
/** The version bound of api/index-version.ts, plus room for one engine round trip. */
const BOUND_MS = 1_000 + 300;

const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withoutTook = (body: unknown) => JSON.stringify(body, (k, v: unknown) => (k === 'tookMs' ? undefined : v));

let stack: Stack;

function upload(name: string, content: string) {
  return stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name, content }) });
}

const similarTo = (text: string) => stack.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, limit: 5 }) });

beforeAll(async () => {
  await ensureModel({ modelDir: MODEL_DIR });
  stack = await startStack({ adminKey: KEY, env: WITH_EMBEDDINGS });
}, 600_000);
afterAll(async () => stack?.close());

describe('response cache', () => {
  it('answers a repeated request from the cache with the fresh answer, but for tookMs', async () => {
    const url = `/api/search?q=${enc('医共体')}&facets=province,level`;
    const first = await stack.call(url);
    const second = await stack.call(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('miss');
    expect(second.headers.get('x-cache')).toBe('hit');
    expect(second.body.total).toBeGreaterThan(0);
    // The same request spelled differently (parameter order) is the same entry.
    expect((await stack.call(`/api/search?facets=province,level&q=${enc('医共体')}`)).headers.get('x-cache')).toBe('hit');
    const fresh = await stack.call(url, { headers: { 'cache-control': 'no-cache' } });
    expect(fresh.headers.get('x-cache')).toBe('miss');
    expect(withoutTook(second.body)).toBe(withoutTook(fresh.body));
    expect(second.headers.get('content-type')).toBe(fresh.headers.get('content-type'));
  });

  it('caches suggestions, passages, notices and POST /api/similar, and never an error', async () => {
    const search = await stack.call(`/api/search?q=${enc('村卫生室')}&limit=1`);
    const { id, noticeId } = search.body.hits[0];
    for (const url of [`/api/suggest?q=ygt`, `/api/passages/${id}`, `/api/notices/${noticeId}`, `/api/notices?limit=3`, `/api/passages/${id}/similar?limit=3`]) {
      const a = await stack.call(url);
      const b = await stack.call(url);
      expect([url, a.status, b.headers.get('x-cache')]).toEqual([url, 200, 'hit']);
      expect(withoutTook(b.body)).toBe(withoutTook(a.body));
    }
    const text = '加强村卫生室建设,消除行政村卫生室空白点';
    await similarTo(text);
    const again = await stack.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ limit: 5, text }) });
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.headers.get('etag')).toBeNull();
    // The key is read after the body limit: a large body is still 413, a body that is not JSON 400.
    const big = await stack.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '村'.repeat(40_000) }) });
    expect(big.status).toBe(413);
    expect((await stack.call('/api/similar', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{text' })).status).toBe(400);
    for (let i = 0; i < 2; i++) {
      const missing = await stack.call('/api/notices/nosuchnotice');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-cache')).toBeNull();
      expect(missing.headers.get('etag')).toBeNull();
    }
  });

  it('retires cached search, notices and similar answers when this process writes', async () => {
    const term = '鹦鹉螺';
    const searchUrl = `/api/search?q=${enc(term)}`;
    const measure = '制定鹦鹉螺专项行动方案,明确责任分工和完成时限';
    const before = { search: await stack.call(searchUrl), notices: await stack.call('/api/notices?limit=100'), similar: await similarTo(measure) };
    expect(before.search.body.total).toBe(0);
    expect((await stack.call(searchUrl)).headers.get('x-cache')).toBe('hit');
    expect((await stack.call('/api/notices?limit=100')).headers.get('x-cache')).toBe('hit');
    expect((await similarTo(measure)).headers.get('x-cache')).toBe('hit');

    const up = await upload('cache-test.txt', NOTICE);
    expect(up.status).toBe(200);

    const after = await stack.call(searchUrl);
    expect(after.headers.get('x-cache')).toBe('miss');
    expect(after.body.total).toBeGreaterThan(0);
    const noticeId: string = after.body.hits[0].noticeId;
    const notices = await stack.call('/api/notices?limit=100');
    expect(notices.body.total).toBe(before.notices.body.total + 1);
    expect(notices.body.notices.map((n: { id: string }) => n.id)).toContain(noticeId);
    const similar = await similarTo(measure);
    expect(similar.headers.get('x-cache')).toBe('miss');
    expect(similar.body.hits[0].noticeId).toBe(noticeId);
    expect(before.similar.body.hits.map((h: { noticeId: string }) => h.noticeId)).not.toContain(noticeId);

    // A delete retires them again.
    expect((await stack.call(`/api/notices/${noticeId}`)).status).toBe(200);
    expect((await stack.call(`/api/admin/notices/${noticeId}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect((await stack.call(searchUrl)).body.total).toBe(0);
    expect((await stack.call(`/api/notices/${noticeId}`)).status).toBe(404);
    expect((await similarTo(measure)).body.hits.map((h: { noticeId: string }) => h.noticeId)).not.toContain(noticeId);
  });

  it('sees a write made past this process (straight to the engine) within the bound', async () => {
    const url = `/api/search?q=${enc('医共体')}&facets=none&limit=1`;
    const before = await stack.call(url);
    expect(before.body.total).toBeGreaterThan(1);
    const gone = before.body.hits[0].id as string;
    const passages = stack.runtime.engine.index<PassageDoc>(INDEX.passages);
    const doc = await passages.getDocument(gone, { retrieveVectors: true });
    expect(doc).toBeDefined();
    await stack.runtime.engine.wait(await passages.deleteDocuments([gone]));
    await sleep(BOUND_MS);
    const after = await stack.call(url);
    expect(after.body.total).toBe(before.body.total - 1);
    expect(after.body.hits[0].id).not.toBe(gone);
    // Put it back as it was (vectors included) for the other tests.
    const { _vectors, ...rest } = doc!;
    const vectors = Object.fromEntries(Object.entries(_vectors ?? {}).map(([name, v]) => [name, v.embeddings[0] ?? null]));
    await stack.runtime.engine.wait(await passages.addDocuments([{ ...rest, _vectors: vectors }]));
    // …and let this process see that write too, so the next test starts on a settled version.
    await sleep(BOUND_MS);
  });
});

describe('HTTP caching', () => {
  it('sends an ETag and Cache-Control, answers a matching If-None-Match with 304, and a write changes the ETag', async () => {
    const url = `/api/search?q=${enc('医德医风')}`;
    const res = await stack.call(url);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=5');
    const other = await stack.call(`/api/search?q=${enc('医德医风')}&limit=5`);
    expect(other.headers.get('etag')).not.toBe(etag);

    const revalidated = await stack.app.request(url, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect((await stack.app.request(url, { headers: { 'if-none-match': `W/"other", ${etag}` } })).status).toBe(304);
    expect((await stack.app.request(url, { headers: { 'if-none-match': 'W/"stale-version"' } })).status).toBe(200);

    expect((await upload('etag-test.txt', NOTICE.replace(/鹦鹉螺/g, '白头鹎'))).status).toBe(200);
    const after = await stack.app.request(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('varies by Origin when origins are restricted, 304s included', async () => {
    const restricted = await startStack({ env: { CORS_ORIGINS: 'https://a.example', CACHE_MAX_AGE: '60' } });
    try {
      const url = `/api/search?q=${enc('医共体')}`;
      const res = await restricted.app.request(url, { headers: { origin: 'https://a.example' } });
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-allow-origin')).toBe('https://a.example');
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      const hit = await restricted.app.request(url, { headers: { origin: 'https://b.example' } });
      expect(hit.headers.get('x-cache')).toBe('hit');
      expect(hit.headers.get('access-control-allow-origin')).toBeNull();
      const not = await restricted.app.request(url, { headers: { origin: 'https://a.example', 'if-none-match': res.headers.get('etag')! } });
      expect(not.status).toBe(304);
      expect(not.headers.get('vary')).toBe('Origin');
      expect(not.headers.get('access-control-allow-origin')).toBe('https://a.example');
    } finally {
      await restricted.close();
    }
  }, 120_000);

  it('CACHE_BYTES=0 keeps nothing: a write past the process shows at once; ETags still work', async () => {
    const off = await startStack({ env: { CACHE_BYTES: '0', CACHE_MAX_AGE: '0' } });
    try {
      const url = `/api/search?q=${enc('医共体')}&facets=none&limit=1`;
      const first = await off.call(url);
      expect(first.headers.get('x-cache')).toBeNull();
      expect(first.headers.get('cache-control')).toBe('no-cache');
      expect((await off.app.request(url, { headers: { 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
      const passages = off.runtime.engine.index<PassageDoc>(INDEX.passages);
      await off.runtime.engine.wait(await passages.deleteDocuments([first.body.hits[0].id]));
      // No wait: nothing was kept, so the next answer is the engine's own.
      const second = await off.call(url);
      expect(second.headers.get('x-cache')).toBeNull();
      expect(second.body.total).toBe(first.body.total - 1);
    } finally {
      await off.close();
    }
  }, 120_000);
});

describe('a second API process on the same engine', () => {
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  });

  it('sees this process\'s write within the bound', async () => {
    const port = await freePort();
    const meili = stack.runtime.supervised!;
    child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/main.ts')], {
      cwd: ROOT,
      // The same DATA_DIR (uploads, deletes): its start finds the index up to date and writes nothing.
      env: { ...process.env, ...WITH_EMBEDDINGS, DATA_DIR: stack.dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.key, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`the second API exited: ${stderr}`);
      const ok = await fetch(`${base}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (i > 600) throw new Error(`the second API did not start: ${stderr}`);
      await sleep(200);
    }
    const url = `${base}/api/search?q=${enc('穿山甲')}&facets=none`;
    const get = () => fetch(url).then(async (r) => ({ cache: r.headers.get('x-cache'), body: (await r.json()) as { total: number } }));
    expect((await get()).body.total).toBe(0);
    expect((await get()).cache).toBe('hit');

    expect((await upload('second-process.txt', NOTICE.replace(/鹦鹉螺/g, '穿山甲'))).status).toBe(200);
    await sleep(BOUND_MS);
    const after = await get();
    expect(after.cache).toBe('miss');
    expect(after.body.total).toBeGreaterThan(0);
  }, 180_000);
});
