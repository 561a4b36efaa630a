/**
 * Faults an operator meets (issue 12), on real processes: the API spawned as `npm start` runs it,
 * with its own DATA_DIR and its own Meilisearch, killed with -9 during an upload; its engine
 * killed during an upload and during a rebuild; an engine file truncated; an upload repeating
 * corpus notices and then removed (the takeover sequence), a delete through restarts and a
 * rebuild, names a rebuild would lose. Each ends in the searchable state of a clean run over the
 * same files, or in a clear refusal; never in a service that cannot start.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FAULT_KEY, spawnApi, whenReady, type ApiProcess } from './helpers/api-process.ts';
import { NOTICE } from './helpers/notices.ts';
import { CORPUS, ROOT } from './helpers/stack.ts';
import { freePort } from '../src/engine/process.ts';

const auth = { Authorization: `Bearer ${FAULT_KEY}` };
const dirs: string[] = [];
const running: ApiProcess[] = [];

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'notice-faults-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const api = await spawnApi(dir, env);
  running.push(api);
  return whenReady(api);
}

afterEach(async () => {
  for (const api of running.splice(0)) {
    await api.stop();
    // A killed API leaves its engine behind: stop it too.
    try {
      process.kill(api.enginePid(), 'SIGKILL');
    } catch {
      // gone already
    }
  }
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const TERMS = ['医共体', '一岗双责', '医保基金', '村卫生室', '鹦鹉螺', '砗磲'];

/** What a searcher sees: counts, a few searches with their province counts, and every notice with its sources. */
async function snapshot(api: ApiProcess) {
  const health = (await api.call('/healthz')).body;
  const searches: Record<string, unknown> = {};
  for (const t of TERMS) {
    const r = await api.call(`/api/search?q=${encodeURIComponent(t)}&limit=100&facets=province`);
    expect(r.status, t).toBe(200);
    searches[t] = { total: r.body.total, province: r.body.facets.province, ids: r.body.hits.map((h: { id: string }) => h.id).sort() };
  }
  const notices: Array<{ id: string; source: string; sources: unknown }> = [];
  for (let offset = 0; ; offset += 100) {
    const page = await api.call(`/api/notices?limit=100&offset=${offset}`);
    notices.push(...page.body.notices.map((n: { id: string; source: string; sources: unknown }) => ({ id: n.id, source: n.source, sources: n.sources })));
    if (page.body.notices.length < 100) break;
  }
  notices.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { notices: health.notices, passages: health.passages, searches, list: notices };
}

/** A clean run over the uploads `dir` holds now: a fresh DATA_DIR with a copy of them (and of the delete record). */
async function cleanRun(dir: string) {
  const fresh = dataDir();
  const uploads = path.join(dir, 'uploads');
  mkdirSync(path.join(fresh, 'uploads'));
  for (const f of readdirSync(uploads)) if (!f.startsWith('.')) cpSync(path.join(uploads, f), path.join(fresh, 'uploads', f));
  try {
    cpSync(path.join(dir, 'deleted-notices.json'), path.join(fresh, 'deleted-notices.json'));
  } catch {
    // no deletes
  }
  const api = await start(fresh);
  const snap = await snapshot(api);
  await api.stop();
  return snap;
}

const upload = (api: ApiProcess, name: string, content: string) =>
  api.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, content }) });

/** One notice of `count` measures naming `word`: big enough that indexing it takes a while. */
function bigNotice(word: string, count: number): string {
  const head = NOTICE.split('一、整改落实情况')[0];
  const items = Array.from({ length: count }, (_, i) => `(${i + 1})关于${word}第${i + 1}号专项行动推进不力的问题。整改情况:制定第${i + 1}号${word}专项方案,明确责任分工和完成时限,建立工作台账并每月调度推进。`);
  return `${head}一、整改落实情况\n${items.join('\n')}\n`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check` holds (polled), or fails with `what`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000, api?: ApiProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(300);
  }
  throw new Error(`timed out waiting for: ${what}${api ? `\n${api.output().slice(-3000)}` : ''}`);
}

describe('notice identity across sources', () => {
  it('an upload repeating corpus notices takes nothing over; removing it and restarting gives the counts of a clean run', async () => {
    const dir = dataDir();
    let api = await start(dir);
    const clean = await snapshot(api);
    expect(clean.notices).toBeGreaterThan(5);

    // The takeover sequence of the issue: a corpus file's text uploaded again.
    const file = readdirSync(CORPUS).sort()[1] as string;
    const text = readFileSync(path.join(CORPUS, file), 'utf8');
    expect((await upload(api, 'copy.txt', text)).status).toBe(200);
    const held = await snapshot(api);
    expect([held.notices, held.passages]).toEqual([clean.notices, clean.passages]);
    expect(held.searches).toEqual(clean.searches);
    const both = held.list.filter((n) => JSON.stringify(n.sources).includes('copy.txt'));
    expect(both.length).toBeGreaterThan(0);
    for (const n of both) {
      expect(n.source).toBe(file);
      expect(n.sources).toEqual([{ name: file, url: null }, { name: 'copy.txt', url: null }]);
    }

    await api.stop();
    unlinkSync(path.join(dir, 'uploads', 'copy.txt'));
    api = await start(dir);
    expect(await snapshot(api)).toEqual(clean);

    // Uploaded twice under two names: one notice, both listed; removing one through a rebuild keeps it.
    for (const name of ['one.txt', 'two.txt']) expect((await upload(api, name, NOTICE)).status).toBe(200);
    const twice = (await api.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}&group=notice`)).body;
    expect(twice.total).toBe(1);
    const id = twice.hits[0].noticeId as string;
    expect((await api.call(`/api/notices/${id}`)).body.sources.map((s: { name: string }) => s.name)).toEqual(['one.txt', 'two.txt']);
    unlinkSync(path.join(dir, 'uploads', 'one.txt'));
    expect((await api.call('/api/admin/reindex', { method: 'POST', headers: auth })).status).toBe(200);
    const after = (await api.call(`/api/notices/${id}`)).body;
    expect(after.source).toBe('two.txt');
    expect(after.sources).toEqual([{ name: 'two.txt', url: null }]);
    await api.stop();
    expect(await cleanRun(dir)).toEqual(await (async () => {
      const again = await start(dir);
      return snapshot(again);
    })());
  }, 600_000);

  it('a delete holds through a restart and a rebuild; a dot-name is refused and every kept upload survives a rebuild', async () => {
    const dir = dataDir();
    let api = await start(dir);
    expect((await upload(api, '..txt', NOTICE)).status).toBe(400);
    expect((await upload(api, 'kept.txt', NOTICE)).status).toBe(200);
    const hit = (await api.call(`/api/search?q=${encodeURIComponent('医共体')}`)).body.hits[0];
    expect((await api.call(`/api/admin/notices/${hit.noticeId}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    const gone = async (a: ApiProcess) => {
      expect((await a.call(`/api/notices/${hit.noticeId}`)).status).toBe(404);
      expect((await a.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`)).body.total).toBeGreaterThan(0);
    };
    await gone(api);
    await api.stop();
    api = await start(dir);
    await gone(api);
    expect((await api.call('/api/admin/reindex', { method: 'POST', headers: auth })).status).toBe(200);
    await gone(api);
    const rebuilt = await snapshot(api);
    await api.stop();
    expect(await cleanRun(dir)).toEqual(rebuilt);
  }, 600_000);
});

describe('processes killed', () => {
  it('kill -9 of the API during an upload: the restart starts and equals a clean run over what uploads/ holds', async () => {
    const dir = dataDir();
    const api = await start(dir);
    const pending = upload(api, 'big.txt', bigNotice('砗磲', 4000)).catch(() => undefined);
    await sleep(1500);
    api.child.kill('SIGKILL');
    await pending;
    await api.exited;
    const again = await start(dir);
    expect(readdirSync(path.join(dir, 'uploads')).filter((f) => f.endsWith('.part'))).toEqual([]);
    const after = await snapshot(again);
    await again.stop();
    expect(after).toEqual(await cleanRun(dir));
  }, 600_000);

  it('kill -9 of the engine during an upload: the upload is refused, the service mends itself and equals a clean run', async () => {
    const dir = dataDir();
    const api = await start(dir);
    const pending = upload(api, 'big.txt', bigNotice('砗磲', 4000));
    await sleep(1500);
    process.kill(api.enginePid(), 'SIGKILL');
    const res = await pending;
    expect([200, 503]).toContain(res.status);
    if (res.status === 503) expect(readdirSync(path.join(dir, 'uploads'))).not.toContain('big.txt');
    // Mended once the engine is back: whatever the killed run left of a file not kept is gone.
    const clean = await cleanRun(dir);
    await until('the state of a clean run', async () => JSON.stringify(await snapshot(api)) === JSON.stringify(clean), 120_000, api);
    expect(await snapshot(api)).toEqual(clean);
  }, 600_000);

  it('kill -9 of the engine during a rebuild: the rebuild is resumed (no staging index left) and equals a clean run', async () => {
    const dir = dataDir();
    mkdirSync(path.join(dir, 'uploads'));
    // Enough to rebuild that the kill lands mid-way.
    for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, 'uploads', `copy${i}.txt`), readFileSync(path.join(CORPUS, readdirSync(CORPUS).sort()[i % 5] as string), 'utf8') + `\n第${i}号副本。`);
    const meiliPort = await freePort();
    const api = await start(dir, { MEILI_PORT: String(meiliPort) });
    const rebuild = api.call('/api/admin/reindex', { method: 'POST', headers: auth });
    await sleep(2000);
    process.kill(api.enginePid(), 'SIGKILL');
    const res = await rebuild;
    expect([200, 503]).toContain(res.status);
    const key = readFileSync(path.join(dir, 'meili', 'master-key'), 'utf8').trim();
    const staging = async () => {
      const res = await fetch(`http://127.0.0.1:${meiliPort}/indexes?limit=100`, { headers: { Authorization: `Bearer ${key}` } });
      return ((await res.json()) as { results: Array<{ uid: string }> }).results.map((i) => i.uid).filter((uid) => uid.endsWith('_next'));
    };
    const clean = await cleanRun(dir);
    // A rebuild the kill cut short is carried on once the engine is back, and swapped in.
    await until('the rebuild resumed and swapped in', async () => (await staging()).length === 0 && JSON.stringify(await snapshot(api)) === JSON.stringify(clean), 300_000, api);
    expect(await staging()).toEqual([]);
    expect(await snapshot(api)).toEqual(clean);
  }, 900_000);
});

describe('a corrupt engine store', () => {
  it('is named as such with the command to run, while serving and at start; rebuild-store and a start bring back a clean run', async () => {
    const dir = dataDir();
    const api = await start(dir);
    const clean = await snapshot(api);
    const indexFiles = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? indexFiles(path.join(d, e.name)) : e.name === 'data.mdb' ? [path.join(d, e.name)] : []));
    const files = indexFiles(path.join(dir, 'meili', 'data.ms', 'indexes')).filter((f) => statSync(f).size > 8192);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) truncateSync(f, 8192);

    // Serving: the first read past the end kills the engine; the answer says why, not ECONNRESET.
    await until('a search answered ENGINE_STORE_CORRUPT', async () => {
      const r = await api.call(`/api/search?q=${encodeURIComponent('医共体')}`);
      return r.status === 503 && r.body.error.code === 'ENGINE_STORE_CORRUPT';
    }, 30_000);
    const r = await api.call(`/api/search?q=${encodeURIComponent('医共体')}`);
    expect(r.body.error.message).toMatch(/npm run rebuild-store/);
    expect(r.body.error.message).toMatch(/npm run restore/);
    expect(r.body.error.message).not.toContain(dir);
    const health = await api.call('/healthz');
    expect(health.status).toBe(503);
    expect(health.body.status).toMatch(/corrupt/);
    await api.stop();

    // At start: a clear refusal naming the commands, not a crash loop.
    const refused = await spawnApi(dir);
    running.push(refused);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/ENGINE_STORE_CORRUPT/);
    expect(refused.output()).toMatch(/npm run rebuild-store/);

    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'indexer/store-cli.ts')], { env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const back = await start(dir);
    expect(await snapshot(back)).toEqual(clean);
  }, 600_000);
});
