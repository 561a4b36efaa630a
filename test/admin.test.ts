/**
 * Admin routes, engine failure and recovery, rebuild under load: real Meilisearch, real app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';
import { NOTICE } from './helpers/notices.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ adminKey: KEY });
});
afterAll(async () => stack?.close());

describe('admin', () => {
  it('refuses without the key and is off without ADMIN_KEY', async () => {
    expect((await stack.call('/api/admin/reindex', { method: 'POST' })).status).toBe(401);
    expect((await stack.call('/api/admin/reindex', { method: 'POST', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const res = await stack.app.request('/api/admin/reindex', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('uploads a document that is searchable when the call returns, then deletes it', async () => {
    const before = await stack.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`);
    expect(before.body.total).toBe(0);
    const up = await stack.call('/api/admin/documents', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'upload-test.txt', content: NOTICE }),
    });
    expect(up.status).toBe(200);
    expect(up.body.indexed).toBe(1);
    const after = await stack.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`);
    expect(after.body.total).toBeGreaterThan(0);
    const noticeId = after.body.hits[0].noticeId;
    const del = await stack.call(`/api/admin/notices/${noticeId}`, { method: 'DELETE', headers: auth });
    expect(del.status).toBe(200);
    expect((await stack.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`)).body.total).toBe(0);
    expect((await stack.call(`/api/notices/${noticeId}`)).status).toBe(404);
    expect((await stack.call(`/api/admin/notices/${noticeId}`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('takes multipart uploads and reports files it cannot read', async () => {
    const form = new FormData();
    form.append('file', new Blob([NOTICE.replace(/鹦鹉螺/g, '石斑鱼')]), 'multipart-test.txt');
    form.append('file', new Blob([new Uint8Array([0, 1, 2, 3, 0, 0, 255, 254, 0])]), 'binary.txt');
    const up = await stack.call('/api/admin/documents', { method: 'POST', headers: auth, body: form });
    expect(up.status).toBe(200);
    expect(up.body.indexed).toBe(1);
    expect(up.body.skipped.map((s: { file: string }) => s.file.endsWith('binary.txt'))).toEqual([true]);
    expect((await stack.call(`/api/search?q=${encodeURIComponent('石斑鱼')}`)).body.total).toBeGreaterThan(0);
  });

  it('keeps the page URL of an upload: on the notice, on its hits, through a rebuild; the site names the city', async () => {
    // The text names no city (市卫健委党委); the site does (株洲).
    const content = NOTICE.replace('中共测试县卫生健康局党组', '市卫健委党委').replace(/县委/g, '市委').replace(/县卫生健康局党组/g, '市卫健委党委').replace(/鹦鹉螺/g, '穿山甲');
    const url = 'http://wjw.zhuzhou.gov.cn/c1/2025/art_7.html';
    const up = await stack.call('/api/admin/documents', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'url-test.txt', content, url }),
    });
    expect(up.status).toBe(200);
    const check = async () => {
      const hits = (await stack.call(`/api/search?q=${encodeURIComponent('穿山甲')}`)).body.hits;
      expect(hits.length).toBeGreaterThan(0);
      expect(hits[0].notice).toMatchObject({ sourceUrl: url, province: '湖南省', city: '株洲市', county: null, level: '市', org: '市卫健委党委' });
      const notice = (await stack.call(`/api/notices/${hits[0].noticeId}`)).body;
      expect(notice).toMatchObject({ sourceUrl: url, city: '株洲市' });
      expect((await stack.call(`/api/notices?city=${encodeURIComponent('株洲市')}`)).body.notices.map((n: { sourceUrl: string }) => n.sourceUrl)).toContain(url);
    };
    await check();
    // A rebuild re-reads the uploaded file, which has no URL of its own: the URL it came with stays.
    expect((await stack.call('/api/admin/reindex', { method: 'POST', headers: auth })).status).toBe(200);
    await check();
  });

  it('pairs multipart url fields with the files in order, and refuses a bad url', async () => {
    const form = new FormData();
    form.append('file', new Blob([NOTICE.replace(/鹦鹉螺/g, '玳瑁')]), 'url-a.txt');
    form.append('url', 'https://www.alsyq.gov.cn/art/2025/1.html');
    const up = await stack.call('/api/admin/documents', { method: 'POST', headers: auth, body: form });
    expect(up.status).toBe(200);
    expect((await stack.call(`/api/search?q=${encodeURIComponent('玳瑁')}`)).body.hits[0].notice.sourceUrl).toBe('https://www.alsyq.gov.cn/art/2025/1.html');
    const two = new FormData();
    two.append('file', new Blob([NOTICE]), 'url-b.txt');
    two.append('file', new Blob([NOTICE]), 'url-c.txt');
    two.append('url', 'https://www.alsyq.gov.cn/art/2025/2.html');
    expect((await stack.call('/api/admin/documents', { method: 'POST', headers: auth, body: two })).status).toBe(400);
    const bad = await stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x.txt', content: NOTICE, url: 'javascript:alert(1)' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PARAMETER');
  });

  it('rejects bad uploads with clear errors', async () => {
    const bad = await stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '../../etc/passwd', content: 'x' }) });
    expect(bad.status).toBe(400);
    const wrong = await stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"nope":1}' });
    expect(wrong.status).toBe(400);
    const big = await stack.call('/api/admin/documents', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'big.txt', content: '医'.repeat(8 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
  });

  it('rebuilds while searches go on: no failed or empty search during the swap', async () => {
    const q = `/api/search?q=${encodeURIComponent('医共体')}&limit=1`;
    const expected = (await stack.call(q)).body.total;
    expect(expected).toBeGreaterThan(0);
    let done = false;
    const totals: number[] = [];
    const statuses: number[] = [];
    const searching = (async () => {
      while (!done) {
        const r = await stack.call(q);
        statuses.push(r.status);
        totals.push(r.body.total);
      }
    })();
    const rebuild = await stack.call('/api/admin/reindex', { method: 'POST', headers: auth });
    done = true;
    await searching;
    expect(rebuild.status).toBe(200);
    expect(rebuild.body.rebuilt).toBe(true);
    expect(statuses.length).toBeGreaterThan(5);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(new Set(totals)).toEqual(new Set([expected]));
  });
});

describe('engine failure', () => {
  it('answers 503 while the engine is down and recovers by itself', async () => {
    const sup = stack.runtime.supervised!;
    const pid = sup.pid()!;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    const down = await stack.call(`/api/search?q=${encodeURIComponent('医共体')}`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('ENGINE_UNAVAILABLE');
    expect((await stack.call('/healthz')).status).toBe(503);
    let status = 0;
    const deadline = Date.now() + 30_000;
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await stack.call(`/api/search?q=${encodeURIComponent('医共体')}`)).status;
    }
    expect(status).toBe(200);
    expect(sup.pid()).not.toBe(pid);
    expect((await stack.call('/healthz')).status).toBe(200);
  });
});
