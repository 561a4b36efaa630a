/**
 * Backup → wipe → restore (issue 12, "backups and recovery"): a running product with an upload,
 * a recorded delete and embeddings is backed up through the admin route, its DATA_DIR removed,
 * the file restored with `npm run restore` into a fresh DATA_DIR, and the product started there
 * answers every search, list and similar request as before, without indexing again. Real
 * Meilisearch (its snapshot), real jieba, the real model.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../api/app.ts';
import { scheduleBackups } from '../api/backup-schedule.ts';
import { restoreBackup } from '../indexer/backup.ts';
import { ROOT, startStack, WITH_EMBEDDINGS, type Stack } from './helpers/stack.ts';
import { NOTICE } from './helpers/notices.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'notice-search-backup-'));
const stacks: Stack[] = [];
afterAll(async () => {
  for (const s of stacks) await s.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The answers compared across the restore: everything but timings. */
async function answers(stack: Stack) {
  const get = async (url: string, init?: RequestInit) => {
    const res = await stack.call(url, init);
    expect(res.status, url).toBe(200);
    const { tookMs: _, ...rest } = res.body as { tookMs?: number; total?: number; hits?: unknown[] };
    return rest;
  };
  const q = (s: string) => encodeURIComponent(s);
  return {
    keyword: await get(`/api/search?q=${q('医共体')}&limit=100`),
    upload: await get(`/api/search?q=${q('鹦鹉螺')}&limit=100`),
    byNotice: await get(`/api/search?q=${q('医保基金')}&group=notice&province=${q('四川省')}&limit=50`),
    hybrid: await get(`/api/search?q=${q('村卫生室建设')}&mode=hybrid&limit=20`),
    notices: await get('/api/notices?limit=100'),
    noticesTail: await get('/api/notices?offset=100&limit=100'),
    similar: await get('/api/similar', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: '加强村卫生室建设,消除行政村卫生室空白点', limit: 20 }) }),
    suggest: await get(`/api/suggest?q=ygt`),
  };
}

describe('backup → wipe → restore', () => {
  it('brings a fresh DATA_DIR back to identical answers, with its uploads, deletes and embedding cache', async () => {
    const a = await startStack({ adminKey: KEY, env: { ...WITH_EMBEDDINGS } });
    stacks.push(a);
    const up = await a.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '备份测试.txt', content: NOTICE }) });
    expect(up.status).toBe(200);
    const victim = (await a.call(`/api/search?q=${encodeURIComponent('医共体')}`)).body.hits[0].noticeId as string;
    expect((await a.call(`/api/admin/notices/${victim}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    const before = await answers(a);
    expect(before.upload.total).toBeGreaterThan(0);
    expect(before.hybrid.hits?.length).toBeGreaterThan(0);
    const health = (await a.call('/healthz')).body;

    const made = await a.call('/api/admin/backup', { method: 'POST', headers: auth });
    expect(made.status).toBe(200);
    expect(made.body.backup).toMatch(/^notice-search-\d{4}-\d\d-\d\dT[\d-]+Z\.tar\.gz$/);
    expect(made.body.manifest).toMatchObject({ snapshot: true, notices: health.notices, passages: health.passages, uploads: 1, deletes: 1 });
    const file = path.join(scratch, made.body.backup);
    copyFileSync(path.join(a.dataDir, 'backups', made.body.backup), file);
    expect(statSync(file).size).toBe(made.body.bytes);
    // Nothing of the backup is left behind in the data dir but the file.
    expect(existsSync(path.join(a.dataDir, 'backup-manifest.json'))).toBe(false);
    expect(readdirSync(path.join(a.dataDir, 'meili', 'snapshots'))).toEqual([]);
    const cacheBytes = statSync(path.join(a.dataDir, 'embed-cache.bin')).size;

    // The wipe.
    await a.close();
    stacks.splice(stacks.indexOf(a), 1);
    expect(existsSync(a.dataDir)).toBe(false);

    const fresh = path.join(scratch, 'restored');
    const { stderr } = await run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'indexer/restore-cli.ts'), file], { cwd: ROOT, env: { ...process.env, DATA_DIR: fresh } });
    expect(stderr).toMatch(/holds the backup of .*: \d+ notices, \d+ passages, 1 uploads, 1 deletes/);
    expect(statSync(path.join(fresh, 'embed-cache.bin')).size).toBe(cacheBytes);
    expect(existsSync(path.join(fresh, 'meili', 'snapshots', 'data.ms.snapshot'))).toBe(false);

    const b = await startStack({ adminKey: KEY, dataDir: fresh, env: { ...WITH_EMBEDDINGS }, index: false });
    stacks.push(b);
    const start = await b.services.start();
    // The snapshot holds the index: no rebuild. The index records upload files by path, so in a
    // DATA_DIR elsewhere the upload is indexed again under its new path (its vectors from the
    // restored cache) and its old path pruned; nothing else is.
    expect(start).toMatchObject({ indexed: 1, pruned: 1, rebuilt: false, skipped: [] });
    expect((await b.call('/healthz')).body).toMatchObject({ status: 'ok', notices: health.notices, passages: health.passages });
    expect(await answers(b)).toEqual(before);

    // The restored delete record holds through a rebuild.
    expect((await b.call('/api/admin/reindex', { method: 'POST', headers: auth })).status).toBe(200);
    expect((await b.call(`/api/notices/${victim}`)).status).toBe(404);
    expect(await answers(b)).toEqual(before);
  }, 300_000);

  /** The restored stack of the first test, or (run alone) a new one. */
  async function anyStack(): Promise<Stack> {
    if (!stacks[0]) stacks.push(await startStack({ adminKey: KEY }));
    return stacks[0]!;
  }

  it('answers 202 with a job id past ADMIN_WAIT_MS, and the job reports its result', async () => {
    const s = await anyStack();
    const app = createApp(s.services, { adminKey: KEY, adminWaitMs: 0 });
    const res = await app.request('/api/admin/backup', { method: 'POST', headers: auth });
    expect(res.status).toBe(202);
    const { job } = (await res.json()) as { job: { id: string; state: string; kind: string; step: string | null } };
    expect(job).toMatchObject({ kind: 'backup', state: 'running' });
    expect(res.headers.get('location')).toBe(`/api/admin/jobs/${job.id}`);
    let view: { state: string; result?: { backup: string }; step: string | null } = job;
    while (view.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      view = ((await (await app.request(`/api/admin/jobs/${job.id}`, { headers: auth })).json()) as { job: typeof view }).job;
    }
    expect(view).toMatchObject({ state: 'succeeded', step: 'done' });
    expect(existsSync(path.join(s.dataDir, 'backups', view.result!.backup))).toBe(true);
    expect((await app.request('/api/admin/jobs/no-such-job', { headers: auth })).status).toBe(404);
    expect((await app.request(`/api/admin/jobs/${job.id}`)).status).toBe(401);
  });

  it('refuses to restore over an existing index or uploads, and a file that is not a backup', async () => {
    const s = await anyStack();
    const made = await s.call('/api/admin/backup', { method: 'POST', headers: auth });
    expect(made.status).toBe(200);
    const file = path.join(s.dataDir, 'backups', made.body.backup);
    await expect(restoreBackup(file, { dataDir: s.dataDir })).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });

    const withUploads = path.join(scratch, 'with-uploads');
    mkdirSync(path.join(withUploads, 'uploads'), { recursive: true });
    writeFileSync(path.join(withUploads, 'uploads', 'x.txt'), NOTICE);
    await expect(restoreBackup(file, { dataDir: withUploads })).rejects.toMatchObject({ code: 'RESTORE_TARGET_NOT_EMPTY' });

    const notBackup = path.join(scratch, 'not-a-backup.tar.gz');
    writeFileSync(notBackup, NOTICE);
    await expect(restoreBackup(notBackup, { dataDir: path.join(scratch, 'never') })).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    expect(existsSync(path.join(scratch, 'never', 'meili'))).toBe(false);
  });

  it('npm run backup asks a running API through --api, and will not open the database under it', async () => {
    const s = await anyStack();
    const server = serve({ fetch: s.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const cli = path.join(ROOT, 'indexer/backup-cli.ts');
      const { stderr } = await run(process.execPath, ['--import', 'tsx', cli, '--api', api], { cwd: ROOT, env: { ...process.env, ADMIN_KEY: KEY } });
      const name = /"backup":"(notice-search-[^"]+\.tar\.gz)"/.exec(stderr)?.[1];
      expect(existsSync(path.join(s.dataDir, 'backups', name ?? 'missing'))).toBe(true);
      const refused = await run(process.execPath, ['--import', 'tsx', cli], { cwd: ROOT, env: { ...process.env, DATA_DIR: s.dataDir } }).catch((e: { code: number; stderr: string }) => e);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/is running over .*: ask it instead, npm run backup -- --api/) });
      expect((await s.call('/healthz')).status).toBe(200);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 120_000);

  it('takes scheduled backups every SNAPSHOT_INTERVAL and keeps the newest BACKUP_KEEP', async () => {
    const s = await anyStack();
    const dir = path.join(scratch, 'scheduled');
    const taken: string[] = [];
    const schedule = scheduleBackups(s.services, { intervalSeconds: 1, dir, keep: 2, log: (m) => taken.push(m) });
    while (taken.filter((m) => m.startsWith('scheduled backup scheduled-')).length < 3) {
      expect(taken.filter((m) => m.includes('failed'))).toEqual([]);
      await new Promise((r) => setTimeout(r, 200));
    }
    await schedule.stop();
    const files = readdirSync(dir).filter((n) => n.startsWith('scheduled-'));
    expect(files).toHaveLength(2);
    // The two kept are the newest: the last one logged is among them.
    expect(files).toContain(/(scheduled-\S+\.tar\.gz)/.exec(taken.at(-1)!)![1]);
  }, 120_000);
});
