/**
 * Disk below the watermark (issue 12, "disk full"): writes answer 507 DISK_LOW at once and leave
 * nothing behind, searches go on, `/healthz` says so. Once with MIN_FREE_BYTES above the free
 * space of the machine's disk, once (as root) on a small tmpfs that a filler file really fills,
 * and emptied again. Real Meilisearch, real app.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './helpers/stack.ts';
import { NOTICE } from './helpers/notices.ts';

const KEY = 'test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
const q = encodeURIComponent('医共体');

function upload(stack: Stack, name: string) {
  return stack.call('/api/admin/documents', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, content: NOTICE }) });
}

describe('MIN_FREE_BYTES above the free space', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ adminKey: KEY, env: { MIN_FREE_BYTES: String(2 ** 52) } });
  });
  afterAll(async () => stack?.close());

  it('refuses every write at once with 507 and a message saying why and what still works', async () => {
    const started = Date.now();
    const json = await upload(stack, 'watermark.txt');
    expect(json.status).toBe(507);
    expect(json.body.error.code).toBe('DISK_LOW');
    expect(json.body.error.message).toMatch(/below MIN_FREE_BYTES \(4096 TiB\); searches still work/);
    const form = new FormData();
    form.append('file', new Blob([NOTICE]), 'watermark-multipart.txt');
    expect((await stack.call('/api/admin/documents', { method: 'POST', headers: auth, body: form })).status).toBe(507);
    const id = (await stack.call(`/api/search?q=${q}`)).body.hits[0].noticeId;
    expect((await stack.call(`/api/admin/notices/${id}`, { method: 'DELETE', headers: auth })).status).toBe(507);
    expect((await stack.call('/api/admin/reindex', { method: 'POST', headers: auth })).status).toBe(507);
    expect((await stack.call('/api/admin/backup', { method: 'POST', headers: auth })).status).toBe(507);
    // Refused before any work: nothing written, not even a .part file, and no waiting on the engine.
    expect(readdirSync(path.join(stack.dataDir, 'uploads'))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await stack.call(`/api/notices/${id}`)).status).toBe(200);
  });

  it('keeps answering searches and says so in /healthz', async () => {
    const res = await stack.call(`/api/search?q=${q}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThan(0);
    expect((await stack.call('/api/notices?limit=5')).body.notices).toHaveLength(5);
    const health = await stack.call('/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('read-only');
    expect(health.body.disk).toMatchObject({ minFree: 2 ** 52, writable: false });
    expect(health.body.disk.free).toBeGreaterThan(0);
  });

  it('asks for credentials before it tells anything of the disk', async () => {
    const res = await stack.call('/api/admin/reindex', { method: 'POST' });
    expect(res.status).toBe(401);
  });
});

const root = process.getuid?.() === 0;

describe.skipIf(!root)('a small file system really filled (tmpfs, as root)', () => {
  let mount = '';
  let stack: Stack | undefined;
  let mounted = false;
  const minFree = 48 * 1024 * 1024;
  beforeAll(async () => {
    mount = mkdtempSync(path.join(tmpdir(), 'notice-search-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400m', 'tmpfs', mount]);
    mounted = true;
    stack = await startStack({ adminKey: KEY, dataDir: path.join(mount, 'data'), env: { MIN_FREE_BYTES: String(minFree) } });
  });
  afterAll(async () => {
    await stack?.close();
    if (mounted) execFileSync('umount', [mount]);
    if (mount) rmSync(mount, { recursive: true, force: true });
  });

  it('refuses writes while the disk is below the mark and takes them again once space is freed', async () => {
    const s = stack!;
    expect((await upload(s, 'before-full.txt')).status).toBe(200);
    expect((await s.call('/healthz')).body.status).toBe('ok');

    // Fill the file system up to 16 MiB short of the mark.
    const fs = statfsSync(mount);
    const filler = path.join(mount, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - (minFree - 16 * 1024 * 1024))));
    expect(statfsSync(mount).bavail * statfsSync(mount).bsize).toBeLessThan(minFree);

    const refused = await upload(s, 'while-full.txt');
    expect(refused.status).toBe(507);
    expect(refused.body.error.code).toBe('DISK_LOW');
    expect(readdirSync(path.join(s.dataDir, 'uploads'))).toEqual(['before-full.txt']);
    expect((await s.call(`/api/search?q=${encodeURIComponent('鹦鹉螺')}`)).body.total).toBeGreaterThan(0);
    expect((await s.call('/healthz')).body).toMatchObject({ status: 'read-only', disk: { writable: false } });

    rmSync(filler);
    expect((await upload(s, 'after-full.txt')).status).toBe(200);
    expect((await s.call('/healthz')).body).toMatchObject({ status: 'ok', disk: { writable: true } });
  });
});
