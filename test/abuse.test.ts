/**
 * Abuse limits (issue 12, docs/security.md) on a real server: the app served over HTTP by
 * @hono/node-server (so clients have socket addresses), real Meilisearch, the real model. Clients
 * are told apart by X-Forwarded-For behind one trusted proxy (TRUST_PROXY=1), as behind nginx.
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { loadAssets } from '../api/assets.ts';
import { createLogger } from '../api/log.ts';
import { readConfig } from '../src/config.ts';
import { ensureModel } from '../indexer/model.ts';
import { NOTICE } from './helpers/notices.ts';
import { MODEL_DIR, startStack, WITH_EMBEDDINGS, type Stack } from './helpers/stack.ts';

const KEY = 'test-admin-key-0123456789';
const RATE_LIMIT = 5;
const MODEL_RATE_LIMIT = 3;
let stack: Stack;
let corpus: string;
let server: ServerType;
let base: string;
/** The API's JSON log lines, as written. */
const logLines: string[] = [];

beforeAll(async () => {
  await ensureModel({ modelDir: MODEL_DIR });
  corpus = mkdtempSync(path.join(tmpdir(), 'abuse-corpus-'));
  writeFileSync(path.join(corpus, 'notice.txt'), NOTICE);
  stack = await startStack({
    adminKey: KEY,
    corpus: [corpus],
    assets: loadAssets(),
    logger: createLogger({ destination: { write: (line: string) => void logLines.push(line) } }),
    env: {
      ...WITH_EMBEDDINGS,
      RATE_LIMIT: String(RATE_LIMIT),
      MODEL_RATE_LIMIT: String(MODEL_RATE_LIMIT),
      TRUST_PROXY: '1',
      MODEL_CONCURRENCY: '1',
      MODEL_QUEUE: '2',
      FRAME_ANCESTORS: "'self' https://www.example.gov.cn",
    },
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
}, 300_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
  rmSync(corpus, { recursive: true, force: true });
});

let clients = 0;
/** A fresh client address, as the trusted proxy would report it. */
const newClient = () => `203.0.113.${++clients}`;
const from = (client: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': client } });
const q = encodeURIComponent('鹦鹉螺');
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('per-client rate limits', () => {
  it('answers a client over RATE_LIMIT 429 with Retry-After, while other clients and its model budget go on', async () => {
    const a = newClient();
    for (let i = 0; i < RATE_LIMIT; i++) expect((await fetch(`${base}/api/search?q=${q}`, from(a))).status).toBe(200);
    const over = await fetch(`${base}/api/suggest?q=${q}`, from(a));
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(over.headers.get('access-control-allow-origin')).toBe('*');
    expect(await errorCode(over)).toBe('RATE_LIMITED');
    expect((await fetch(`${base}/api/search?q=${q}`, from(newClient()))).status).toBe(200);
    expect((await fetch(`${base}/api/search?q=${q}&mode=hybrid`, from(a))).status).toBe(200);
  });

  it('counts the model routes on MODEL_RATE_LIMIT', async () => {
    const a = newClient();
    const similar = () => fetch(`${base}/api/similar`, from(a, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '制定鹦鹉螺专项行动方案' }) }));
    for (let i = 0; i < MODEL_RATE_LIMIT; i++) expect((await similar()).status).toBe(200);
    const over = await similar();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeTruthy();
    expect((await fetch(`${base}/api/search?q=${q}`, from(a))).status).toBe(200);
  });

  it('does not believe X-Forwarded-For without TRUST_PROXY: a client cannot make itself new ones', async () => {
    const limits = readConfig({ RATE_LIMIT: '2', TRUST_PROXY: '0' }).limits;
    const direct = createApp(stack.services, { limits });
    const direct2 = await new Promise<{ server: ServerType; url: string }>((resolve) => {
      const s = serve({ fetch: direct.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s, url: `http://127.0.0.1:${info.port}` }));
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${direct2.url}/api/search?q=${q}`, from(newClient()))).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await new Promise((resolve) => direct2.server.close(resolve));
    }
  });
});

describe('the model routes cap', () => {
  it('refuses what does not fit (MODEL_CONCURRENCY=1, MODEL_QUEUE=2) with 503 MODEL_BUSY and Retry-After; keyword search still answers', async () => {
    // Unique long texts (no query-embedding cache), each from its own client (no rate limit).
    const texts = Array.from({ length: 12 }, (_, i) => `第${i}条:${'加强村卫生室建设,消除行政村卫生室空白点,完善鹦鹉螺专项行动台账。'.repeat(30)}`);
    const load = texts.map((text) =>
      fetch(`${base}/api/similar`, from(newClient(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })),
    );
    const keyword = await fetch(`${base}/api/search?q=${q}`, from(newClient()));
    expect(keyword.status).toBe(200);
    const answers = await Promise.all(load);
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503), statuses.join(',')).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(12 - 1 - 2 - 1);
    for (const r of refused) {
      expect(r.headers.get('retry-after')).toBe('1');
      expect(await errorCode(r)).toBe('MODEL_BUSY');
    }
  });

  it('answers what the response cache holds while the cap is full: a cached hybrid search is neither queued nor refused', async () => {
    const hybrid = `${base}/api/search?q=${q}&mode=hybrid`;
    const first = await fetch(hybrid, from(newClient()));
    expect(first.status).toBe(200);
    const fresh = (await first.json()) as { hits: Array<{ id: string }> };
    const texts = Array.from({ length: 8 }, (_, i) => `第${i}条缓存:${'完善鹦鹉螺专项行动台账,落实村卫生室人员待遇。'.repeat(40)}`);
    const load = texts.map((text) =>
      fetch(`${base}/api/similar`, from(newClient(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })),
    );
    // Once a refusal has come back, the cap is full: a model request that needed the model now would be refused.
    const firstDone = await Promise.race(load.map(async (r) => (await r).status));
    expect(firstDone).toBe(503);
    const cached = await fetch(hybrid, from(newClient()));
    const statuses = (await Promise.all(load)).map((r) => r.status);
    expect(statuses).toContain(503);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-cache')).toBe('hit');
    expect(((await cached.json()) as { hits: Array<{ id: string }> }).hits.map((h) => h.id)).toEqual(fresh.hits.map((h) => h.id));
  });
});

describe('admin keys', () => {
  it('refuses an ADMIN_KEY shorter than 16 characters at start', () => {
    expect(() => readConfig({ ADMIN_KEY: 'short-key' })).toThrow(/ADMIN_KEY must be at least 16 characters/);
    expect(readConfig({ ADMIN_KEY: KEY }).adminKey).toBe(KEY);
  });

  it('slows and logs a wrong key, and locks a client out after 10 wrong keys a minute, even with the right one', async () => {
    const attacker = newClient();
    const reindex = (client: string, key: string) => fetch(`${base}/api/admin/notices/nope`, from(client, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } }));
    const t0 = performance.now();
    const first = await reindex(attacker, 'wrong-key-0123456789');
    expect(first.status).toBe(401);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(900);
    const failed = logLines.map((l) => JSON.parse(l) as { level: number; audit?: string; msg: string }).filter((l) => l.audit === 'admin-auth-failed');
    expect(failed.map((l) => l.msg)).toContain(`admin auth: a wrong key from ${attacker} (DELETE /api/admin/notices/nope)`);
    expect(failed.every((l) => l.level === 40)).toBe(true);
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => reindex(attacker, `wrong-key-${i}-0123456789`)));
    expect(more.map((r) => r.status).sort()).toEqual([...Array(9).fill(401), 429]);
    const right = await reindex(attacker, KEY);
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toBe('60');
    // Another client with the right key is let in (and a right key's failures elsewhere do not count).
    const admin = newClient();
    for (let i = 0; i < 12; i++) expect((await reindex(admin, KEY)).status).toBe(404);
  });
});

describe('headers', () => {
  it('sends nosniff everywhere, the page a CSP with FRAME_ANCESTORS, the API one that frames and runs nothing', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self' https://www.example.gov.cn");
    expect(csp).toContain("script-src 'self'");
    for (const url of [`/api/search?q=${q}`, '/api/passages/nope', '/healthz']) {
      const res = await fetch(base + url, from(newClient()));
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), url).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('refuses a FRAME_ANCESTORS that is not a source list', () => {
    expect(() => readConfig({ FRAME_ANCESTORS: "'self'; script-src *" })).toThrow(/FRAME_ANCESTORS/);
    expect(readConfig({}).limits.frameAncestors).toEqual(["'self'"]);
  });
});

describe('compression', () => {
  it('gzips JSON for a client that takes it, and only then', async () => {
    const plain = await stack.app.request('/openapi.json');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    const zipped = await stack.app.request('/openapi.json', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(Buffer.byteLength(text) / 2);
    expect(gunzipSync(bytes).toString('utf8')).toBe(text);
    const refused = await stack.app.request('/openapi.json', { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });
});
