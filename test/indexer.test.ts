/**
 * Index runs: incremental, prune, idempotent, and a run killed midway then re-run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, CORPUS, ROOT, type Stack } from './helpers/stack.ts';
import { runIndex } from '../indexer/run.ts';
import { STAGING } from '../src/indexes.ts';

let stack: Stack;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'notice-corpus-'));
  cpSync(CORPUS, dir, { recursive: true });
  stack = await startStack({ corpus: [dir] });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function snapshot(s: Stack): Promise<{ passages: string[]; notices: string[] }> {
  const ids = async (uid: string) => {
    const out: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await s.runtime.engine.index(uid).fetchDocuments({ limit: 1000, offset, fields: ['id'] });
      out.push(...page.results.map((r) => r.id));
      if (page.results.length < 1000) break;
    }
    return out.sort();
  };
  return { passages: await ids('passages'), notices: await ids('notices') };
}

const index = (opts: { rebuild?: boolean; prune?: boolean } = {}) => runIndex(stack.runtime.engine, stack.runtime.indexContext(), { paths: [dir], ...opts });

describe('incremental indexing', () => {
  it('skips unchanged files and leaves the same documents', async () => {
    const before = await snapshot(stack);
    const again = await index();
    expect(again.rebuilt).toBe(false);
    expect(again.indexed).toBe(0);
    expect(again.unchanged).toBe(readdirSync(dir).length);
    expect(await snapshot(stack)).toEqual(before);
  });

  it('replaces the documents of a changed file', async () => {
    const file = path.join(dir, readdirSync(dir).find((f) => f.startsWith('003'))!);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace(/整改/, '整改(修订版)'));
    const s = await index();
    expect(s.indexed).toBe(1);
    const term = await stack.call(`/api/search?q=${encodeURIComponent('修订版')}`);
    expect(term.body.total).toBe(1);
    const notices = await stack.call('/api/notices?limit=100');
    expect(notices.body.total).toBe(snapshotNoticeCount);
    writeFileSync(file, original);
    await index();
    expect((await stack.call(`/api/search?q=${encodeURIComponent('修订版')}`)).body.total).toBe(0);
  });

  it('--prune removes notices whose files are gone', async () => {
    const file = readdirSync(dir).find((f) => f.startsWith('004'))!;
    const saved = readFileSync(path.join(dir, file));
    unlinkSync(path.join(dir, file));
    const s = await index({ prune: true });
    expect(s.pruned).toBe(1);
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('揭东区')}`);
    expect(body.total).toBe(0);
    writeFileSync(path.join(dir, file), saved);
    expect((await index()).indexed).toBe(1);
  });
});

let snapshotNoticeCount = 0;
beforeAll(async () => {
  snapshotNoticeCount = (await stack.call('/api/notices?limit=1')).body.total;
});

describe('a run killed midway', () => {
  it('ends, after a re-run, in the same state as one clean run', async () => {
    // Many files so that the kill lands mid-run.
    const big = mkdtempSync(path.join(tmpdir(), 'notice-big-'));
    const files = readdirSync(CORPUS);
    for (let i = 0; i < 60; i++) {
      const f = files[i % files.length]!;
      writeFileSync(path.join(big, `${i}_${f}`), readFileSync(path.join(CORPUS, f), 'utf8') + `\n第${i}号副本。`);
    }
    const env = { ...process.env, MEILI_URL: stack.runtime.engine.url, MEILI_MASTER_KEY: stack.runtime.supervised!.key, DATA_DIR: stack.dataDir };
    const cli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'indexer/cli.ts'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const run = (args: string[]) =>
      new Promise<number>((resolve) => {
        const p = cli(args);
        p.on('exit', (code) => resolve(code ?? -1));
      });

    const killed = cli([big, '--rebuild']);
    let progress = '';
    killed.stderr.on('data', (d: Buffer) => (progress += d.toString()));
    // Kill once the first batch is recorded in staging: some files done, others not.
    const staged = async () =>
      stack.runtime.engine.index(STAGING.state).stats().then((s) => s?.numberOfDocuments ?? 0, () => 0);
    const deadline = Date.now() + 120_000;
    while ((await staged()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    killed.kill('SIGKILL');
    await new Promise((r) => killed.on('exit', r));
    expect(progress).not.toMatch(/rebuilt in/);

    expect(await run([big])).toBe(0);
    const resumed = await snapshot(stack);

    expect(await run([big, '--rebuild'])).toBe(0);
    const clean = await snapshot(stack);
    expect(resumed).toEqual(clean);
    expect(clean.notices.length).toBeGreaterThan(60);
    rmSync(big, { recursive: true, force: true });
  }, 300_000);
});

describe('npm run index --url', () => {
  it('gives a single file its page URL; a folder or a bad URL is refused before anything is indexed', async () => {
    const env = { ...process.env, MEILI_URL: stack.runtime.engine.url, MEILI_MASTER_KEY: stack.runtime.supervised!.key, DATA_DIR: stack.dataDir };
    const run = (args: string[]) =>
      new Promise<{ code: number; err: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'indexer/cli.ts'), ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d: Buffer) => (err += d.toString()));
        p.on('exit', (code) => resolve({ code: code ?? -1, err }));
      });
    const file = path.join(dir, 'url-run.txt');
    writeFileSync(file, readFileSync(path.join(CORPUS, '000_5a1fc9c7415e11bf.txt'), 'utf8').replace(/医共体/g, '医联体').replace(/巡察/g, '巡察、海燕'));
    const url = 'https://www.pengxi.gov.cn/xxgk/2025/01/n1.html';

    const folder = await run([dir, '--url', url]);
    expect(folder.code).toBe(1);
    expect(folder.err).toMatch(/--url goes with a single file/);
    const bad = await run([file, '--url', 'ftp://x']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--url: an http\(s\) URL/);
    expect((await stack.call(`/api/search?q=${encodeURIComponent('海燕')}`)).body.total).toBe(0);

    expect((await run([file, '--url', url])).code).toBe(0);
    const hits = (await stack.call(`/api/search?q=${encodeURIComponent('海燕')}`)).body.hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0].notice).toMatchObject({ sourceUrl: url, county: '蓬溪县' });
    unlinkSync(file);
  }, 120_000);
});
