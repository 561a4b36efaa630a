/**
 * Faults and abuse an API on the public internet meets (issue 12): uploads that would brick the
 * service, deletes that came back, names the file system or a rebuild mishandles, server paths in
 * public records, and requests validated too loosely. Real Meilisearch, real app; the engine's
 * payload limit and the index run's batch bound are set small so that a file of 2 MB stands for
 * the 19 MB upload that made Meilisearch answer 413.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, startStack, type Stack } from './helpers/stack.ts';
import { NOTICE } from './helpers/notices.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ adminKey: KEY, env: { MEILI_PAYLOAD_LIMIT: '1000000', INDEX_BATCH_BYTES: '400000' } });
});
afterAll(async () => stack?.close());

const search = async (q: string) => (await stack.call(`/api/search?q=${encodeURIComponent(q)}&limit=100`)).body;
const upload = (name: string, content: string) =>
  stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, content }) });
const uploads = () => readdirSync(path.join(stack.dataDir, 'uploads'));

/** One notice of `count` measures, each naming `word` and its number: a file of about count × 170 bytes. */
function bigNotice(word: string, count: number): string {
  const head = NOTICE.split('一、整改落实情况')[0];
  const items = Array.from({ length: count }, (_, i) => `(${i + 1})关于${word}第${i + 1}号专项行动推进不力的问题。整改情况:制定第${i + 1}号${word}专项方案,明确责任分工和完成时限,建立工作台账并每月调度推进。`);
  return `${head}一、整改落实情况\n${items.join('\n')}\n`;
}

describe('requests validated before they reach the engine', () => {
  it('pages the notice list by offset: offset=3&limit=5 is items 3..7, not the page of offset 0', async () => {
    const all = (await stack.call('/api/notices?limit=10')).body.notices.map((n: { id: string }) => n.id);
    expect(all).toHaveLength(10);
    const page = await stack.call('/api/notices?offset=3&limit=5');
    expect(page.status).toBe(200);
    expect(page.body.notices.map((n: { id: string }) => n.id)).toEqual(all.slice(3, 8));
    expect(page.body.offset).toBe(3);
    const tail = await stack.call('/api/notices?offset=9&limit=5');
    expect(tail.body.notices.map((n: { id: string }) => n.id)).toEqual([all[9], ...(await stack.call('/api/notices?offset=10&limit=5')).body.notices.map((n: { id: string }) => n.id)]);
    expect(tail.body.total).toBe(page.body.total);
  });

  it('refuses a date that does not exist', async () => {
    const res = await stack.call('/api/search?q=%E5%8C%BB%E5%85%B1%E4%BD%93&from=2024-02-30');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^from: /);
  });

  it('refuses prototype keys in the filters of POST /api/similar', async () => {
    for (const filters of ['{"toString":"x"}', '{"__proto__":{"province":"x"}}', '{"constructor":"x"}']) {
      const res = await stack.call('/api/similar', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"text":"村卫生室","filters":${filters}}` });
      expect(res.status, filters).toBe(400);
      expect(res.body.error.code).toBe('INVALID_PARAMETER');
    }
  });

  it('answers a wrong method on a known route with 405 and Allow', async () => {
    const del = await stack.call('/api/search?q=x', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    const get = await stack.call('/api/similar');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const admin = await stack.call('/api/admin/reindex', { headers: auth });
    expect(admin.status).toBe(405);
    expect(admin.headers.get('allow')).toBe('POST');
    expect((await stack.call('/api/nothing-here')).status).toBe(404);
  });
});

describe('upload names', () => {
  it('refuses names starting with a dot, which a rebuild would not read back', async () => {
    for (const name of ['..txt', '.x.txt']) {
      const res = await upload(name, NOTICE);
      expect(res.status, name).toBe(400);
      expect(res.body.error.message).toMatch(/dot/);
    }
    expect(uploads().filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('counts bytes: 84 Chinese characters are a 400, not ENAMETOOLONG', async () => {
    const res = await upload(`${'通'.repeat(84)}.txt`, NOTICE);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/bytes in UTF-8/);
  });

  it('refuses control and bidi characters', async () => {
    for (const name of ['a\u0007.txt', 'report\u202etxt.exe.txt', 'a\u2066b.txt']) {
      const res = await upload(name, NOTICE);
      expect(res.status, JSON.stringify(name)).toBe(400);
    }
  });

  it('serializes two uploads of one name: both indexed, neither 500 nor "unchanged"', async () => {
    const [a, b] = await Promise.all([upload('same.txt', NOTICE.replace(/鹦鹉螺/g, '海豚')), upload('same.txt', NOTICE.replace(/鹦鹉螺/g, '海豹'))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([a.body.indexed, b.body.indexed]).toEqual([1, 1]);
    const kept = readFileSync(path.join(stack.dataDir, 'uploads', 'same.txt'), 'utf8');
    const [won, lost] = kept.includes('海豚') ? ['海豚', '海豹'] : ['海豹', '海豚'];
    expect((await search(won)).total).toBeGreaterThan(0);
    expect((await search(lost)).total).toBe(0);
  });
});

describe('a small upload', () => {
  it('costs its own documents only: no settings task is sent to the engine', async () => {
    const meili = stack.runtime.supervised!;
    const settingsTasks = async (): Promise<number> => {
      const r = await fetch(`${meili.url}/tasks?types=settingsUpdate&limit=1`, { headers: { Authorization: `Bearer ${meili.key}` } });
      expect(r.status).toBe(200);
      return ((await r.json()) as { total: number }).total;
    };
    const before = await settingsTasks();
    expect((await upload('small-one.txt', NOTICE.replace(/鹦鹉螺/g, '树袋熊'))).status).toBe(200);
    expect((await upload('small-two.txt', NOTICE.replace(/鹦鹉螺/g, '食蚁兽'))).status).toBe(200);
    expect((await search('树袋熊')).total).toBeGreaterThan(0);
    expect((await search('食蚁兽')).total).toBeGreaterThan(0);
    expect(await settingsTasks()).toBe(before);
  });
});

describe('public records name no server path', () => {
  it('shows the upload name or the path inside the corpus folder as source', async () => {
    expect((await upload('来源测试.txt', NOTICE.replace(/鹦鹉螺/g, '珊瑚'))).status).toBe(200);
    const list = await stack.call('/api/notices?limit=100');
    const sources: string[] = list.body.notices.map((n: { source: string }) => n.source);
    expect(sources).toContain('来源测试.txt');
    for (const s of sources) expect(path.isAbsolute(s), s).toBe(false);
    const text = JSON.stringify(list.body) + JSON.stringify(await search('珊瑚')) + JSON.stringify(await search('医共体'));
    expect(text).not.toContain(stack.dataDir);
    expect(text).not.toContain(CORPUS);
  });
});

describe('deletes are durable', () => {
  it('a deleted notice stays deleted through a rebuild and a new index run', async () => {
    expect((await upload('delete-me.txt', NOTICE.replace(/鹦鹉螺/g, '海马'))).status).toBe(200);
    const uploaded = (await search('海马')).hits[0].noticeId as string;
    const corpusNotice = (await search('医共体')).hits[0].noticeId as string;
    for (const id of [uploaded, corpusNotice]) expect((await stack.call(`/api/admin/notices/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    const gone = async () => {
      expect((await search('海马')).total).toBe(0);
      for (const id of [uploaded, corpusNotice]) expect((await stack.call(`/api/notices/${id}`)).status).toBe(404);
      expect((await search('医共体')).hits.map((h: { noticeId: string }) => h.noticeId)).not.toContain(corpusNotice);
    };
    await gone();
    const rebuilt = await stack.call('/api/admin/reindex', { method: 'POST', headers: auth });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.rebuilt).toBe(true);
    await gone();
    // What a start runs: every file again, the changed and the gone pruned.
    await stack.services.start();
    await gone();
  });
});

describe('one file never bricks the service', () => {
  it('indexes an upload bigger than the engine takes in one request, in batches bounded by bytes', async () => {
    const content = bigNotice('砗磲', 6_000);
    expect(Buffer.byteLength(content)).toBeGreaterThan(1_000_000);
    const res = await upload('big.txt', content);
    expect(res.status).toBe(200);
    expect(res.body.passages).toBeGreaterThan(1000);
    expect((await search('砗磲')).total).toBeGreaterThan(0);
    expect((await stack.call('/healthz')).status).toBe(200);
  });

  it('keeps no upload that could not be indexed, and keeps the earlier file of that name', async () => {
    const binary = await stack.call('/api/admin/documents', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'binary.txt', content: Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0]).toString('base64'), encoding: 'base64' }),
    });
    expect(binary.status).toBe(422);
    expect(uploads()).not.toContain('binary.txt');
    expect((await upload('kept.txt', NOTICE.replace(/鹦鹉螺/g, '海葵'))).status).toBe(200);
    expect((await upload('kept.txt', '')).status).toBe(422);
    expect(readFileSync(path.join(stack.dataDir, 'uploads', 'kept.txt'), 'utf8')).toContain('海葵');
    expect((await search('海葵')).total).toBeGreaterThan(0);
    expect(uploads().filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('starts with a poison file and a broken PDF already in uploads/: skipped with its reason or indexed, never a failed start', async () => {
    const dir = path.join(stack.dataDir, 'uploads');
    writeFileSync(path.join(dir, 'poison.txt'), bigNotice('翡翠', 6_000));
    writeFileSync(path.join(dir, 'broken.pdf'), Buffer.from('%PDF-1.7\n' + 'x'.repeat(5000)));
    const summary = await stack.services.start();
    expect(summary.skipped.map((s) => path.basename(s.file))).toContain('broken.pdf');
    expect(summary.skipped.find((s) => s.file.endsWith('broken.pdf'))?.reason).toBeTruthy();
    expect((await search('翡翠')).total).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, 'poison.txt'))).toBe(true);
    expect((await stack.call('/healthz')).status).toBe(200);
  });
});
