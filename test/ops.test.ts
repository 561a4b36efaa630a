/**
 * Operations (issue 12), against `npm start`'s own entry point run as a child process with its
 * own DATA_DIR and Meilisearch: the JSON log (request ids, access and audit lines), Meilisearch's
 * log kept to one rotation, request and header timeouts cutting slow clients, bad upload bodies
 * answered 400, and a SIGTERM under load that drains the requests in flight before stopping the
 * engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTICE } from './helpers/notices.ts';
import { ROOT } from './helpers/stack.ts';

const KEY = 'ops-test-admin-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  [field: string]: unknown;
}

let dataDir: string;
let api: ChildProcess;
let base: string;
const lines: LogLine[] = [];
const badLines: string[] = [];
let exited: Promise<number | null>;

/** The first log line `match` accepts, waiting for it up to `ms`. */
async function lineWhere(match: (l: LogLine) => boolean, ms = 10_000): Promise<LogLine> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = lines.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no log line matched within ${ms} ms; last lines:\n${lines.slice(-5).map((l) => JSON.stringify(l)).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'notice-search-ops-'));
  api = spawn(process.execPath, ['--import', 'tsx', 'api/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      EMBEDDINGS: 'off',
      ADMIN_KEY: KEY,
      REQUEST_TIMEOUT_MS: '2000',
      HEADERS_TIMEOUT_MS: '1000',
      MEILI_LOG_BYTES: '4096',
      SHUTDOWN_GRACE_MS: '30000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => api.once('exit', (code) => resolve(code)));
  let rest = '';
  api.stdout?.on('data', (chunk: Buffer) => {
    rest += chunk.toString('utf8');
    const parts = rest.split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as LogLine);
      } catch {
        badLines.push(part);
      }
    }
  });
  api.stderr?.on('data', (chunk: Buffer) => badLines.push(`stderr: ${chunk.toString('utf8')}`));
  const listening = await lineWhere((l) => typeof l.port === 'number', 60_000);
  base = `http://127.0.0.1:${listening.port as number}`;
  await lineWhere((l) => l.msg === 'ready: searchable', 110_000);
});

afterAll(async () => {
  if (api && api.exitCode === null && api.signalCode === null) {
    api.kill('SIGKILL');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the JSON log', () => {
  it('writes only JSON lines on stdout, with a level, a time and a message', () => {
    expect(lines.length).toBeGreaterThan(3);
    expect(badLines.filter((l) => !/ExperimentalWarning|--trace-warnings/.test(l))).toEqual([]);
    for (const l of lines) expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) });
  });

  it('keeps an incoming X-Request-Id of sane shape, sends it back and logs the request under it', async () => {
    const res = await fetch(`${base}/api/search?q=${encodeURIComponent('医共体')}`, { headers: { 'X-Request-Id': 'edge-7f3a_01' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('edge-7f3a_01');
    const line = await lineWhere((l) => l.reqId === 'edge-7f3a_01' && l.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', route: '/api/search', path: '/api/search', status: 200 });
    expect(line.ms).toEqual(expect.any(Number));
  });

  it.each([
    ['spaces and punctuation', 'a b;c'],
    ['over 128 characters', 'x'.repeat(129)],
  ])('replaces an X-Request-Id with %s by one of its own', async (_what, sent) => {
    const res = await fetch(`${base}/healthz`, { headers: { 'X-Request-Id': sent } });
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).not.toBe(sent);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await lineWhere((l) => l.reqId === id && l.msg === 'request')).toMatchObject({ route: '/healthz', status: 200 });
  });

  it('logs the route pattern, not the path, and errors with their status', async () => {
    const res = await fetch(`${base}/api/notices/no-such-notice`);
    const id = res.headers.get('x-request-id');
    expect(res.status).toBe(404);
    expect(await lineWhere((l) => l.reqId === id && l.msg === 'request')).toMatchObject({ method: 'GET', route: '/api/notices/:id', path: '/api/notices/no-such-notice', status: 404, error: 'NOT_FOUND' });
  });

  it('writes an audit line for an upload and for a delete, saying what changed', async () => {
    const up = await fetch(`${base}/api/admin/documents`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'X-Request-Id': 'audit-upload' },
      body: JSON.stringify({ name: 'ops-audit.txt', content: NOTICE.replace(/鹦鹉螺/g, '审计线'), url: 'https://wjw.sc.gov.cn/art/2025/9.html' }),
    });
    expect(up.status).toBe(200);
    const uploaded = await lineWhere((l) => l.reqId === 'audit-upload' && l.audit === 'upload');
    expect(uploaded).toMatchObject({ files: [{ name: 'ops-audit.txt', bytes: expect.any(Number), url: 'https://wjw.sc.gov.cn/art/2025/9.html' }], indexed: 1, skipped: [] });
    expect(uploaded.notices).toBeGreaterThan(0);

    const hits = (await (await fetch(`${base}/api/search?q=${encodeURIComponent('审计线')}`)).json()) as { hits: Array<{ noticeId: string }> };
    const noticeId = hits.hits[0]?.noticeId;
    expect(noticeId).toBeDefined();
    const del = await fetch(`${base}/api/admin/notices/${noticeId}`, { method: 'DELETE', headers: { ...auth, 'X-Request-Id': 'audit-delete' } });
    expect(del.status).toBe(200);
    expect(await lineWhere((l) => l.reqId === 'audit-delete' && l.audit === 'delete')).toMatchObject({ notice: noticeId, deleted: true });
    expect(await lineWhere((l) => l.reqId === 'audit-delete' && l.msg === 'request')).toMatchObject({ route: '/api/admin/notices/:id', status: 200 });
  });
});

describe('upload bodies', () => {
  const post = (body: BodyInit, contentType: string) =>
    fetch(`${base}/api/admin/documents`, { method: 'POST', headers: { ...auth, 'Content-Type': contentType }, body });

  it.each([
    ['no boundary', 'multipart/form-data'],
    ['another boundary than the body uses', 'multipart/form-data; boundary=not-the-one'],
  ])('answers a multipart body with %s 400 INVALID_BODY', async (_what, type) => {
    const body = '--real-boundary\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n' + NOTICE + '\r\n--real-boundary--\r\n';
    const res = await post(body, type);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_BODY');
  });

  it.each<[unknown, string]>([
    [{ name: 'a.txt', content: NOTICE, owner: 'x' }, 'owner: unknown'],
    [{ name: 7, content: NOTICE }, 'name: expected a string'],
    [{ name: 'a.txt' }, 'content: a string is required'],
    [{ name: 'a.txt', content: NOTICE, encoding: 'gbk' }, 'encoding: must be one of utf-8, base64'],
    [{ name: 'a.txt', content: NOTICE, url: 'javascript:alert(1)' }, 'url: not an http(s) URL'],
    [[{ name: 'a.txt', content: NOTICE }, { name: 'b.txt', content: NOTICE, toString: 'x' }], '1.toString: unknown'],
  ])('validates the JSON body by its schema: %j → 400 "%s"', async (body, message) => {
    const res = await post(JSON.stringify(body), 'application/json');
    expect(res.status).toBe(400);
    const error = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.message).toContain(message);
  });
});

/** Opens a raw connection, writes `head`, then stays silent; resolves with what the server sent before it closed the connection. */
function stallAfter(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
    let got = '';
    socket.on('data', (d) => (got += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

describe('slow clients', () => {
  it('cuts a client that stops sending its body (REQUEST_TIMEOUT_MS) with 408 REQUEST_TIMEOUT', async () => {
    const got = await stallAfter(`POST /api/similar HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"text":"医共`);
    expect(got).toMatch(/^HTTP\/1\.1 408 /);
    expect(got).toContain('"code":"REQUEST_TIMEOUT"');
    expect(await lineWhere((l) => l.code === 'REQUEST_TIMEOUT')).toMatchObject({ status: 408 });
  });

  it('cuts a client that stops in the middle of its headers (HEADERS_TIMEOUT_MS)', async () => {
    const got = await stallAfter('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(got).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe("Meilisearch's log", () => {
  it('is rotated at MEILI_LOG_BYTES, one old copy kept', async () => {
    const meili = path.join(dataDir, 'meili');
    // The index run at start logs well over 4 KiB; the size is checked every few seconds.
    const deadline = Date.now() + 15_000;
    while (!existsSync(path.join(meili, 'meilisearch.log.1')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(meili).filter((f) => f.startsWith('meilisearch.log')).sort()).toEqual(['meilisearch.log', 'meilisearch.log.1']);
    expect(readFileSync(path.join(meili, 'meilisearch.log.1'), 'utf8')).toMatch(/\S/);
  });
});

describe('shutdown', () => {
  it('on SIGTERM under c = 8 load, answers every request it received, then stops the engine and exits 0', async () => {
    const enginePid = Number(readFileSync(path.join(dataDir, 'meili', 'pid'), 'utf8'));
    let signalled = 0;
    let answeredAfterSignal = 0;
    const failures: string[] = [];
    const answers = new Map<number, number>();

    // Eight clients searching in a loop on keep-alive connections, until the server is gone.
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`${base}/api/search?q=${encodeURIComponent(i % 2 ? '医共体' : '整改')}&limit=50&offset=${w}`);
          await res.arrayBuffer();
          answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
          if (signalled) answeredAfterSignal++;
        } catch (e) {
          const code = ((e as Error).cause as { code?: string } | undefined)?.code ?? (e as Error).message;
          // A connection the server no longer accepts was never a request it received: clients and proxies retry it elsewhere.
          if (code !== 'ECONNREFUSED' || !signalled) failures.push(`worker ${w}: ${code}`);
          return;
        }
      }
    };
    const load = Array.from({ length: 8 }, (_, w) => worker(w));
    // An admin upload takes seconds (the index run): it is in flight when the signal comes.
    const upload = fetch(`${base}/api/admin/documents`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'X-Request-Id': 'drained-upload' },
      body: JSON.stringify({ name: 'ops-drain.txt', content: NOTICE.replace(/鹦鹉螺/g, '排空中') }),
    });
    await new Promise((r) => setTimeout(r, 500));
    signalled = Date.now();
    api.kill('SIGTERM');

    const up = await upload;
    expect(up.status).toBe(200);
    expect(((await up.json()) as { indexed: number }).indexed).toBe(1);
    await Promise.all(load);
    expect(await exited).toBe(0);

    expect(failures).toEqual([]);
    expect([...answers.keys()]).toEqual([200]);
    expect(answeredAfterSignal).toBeGreaterThan(0);
    expect(await lineWhere((l) => l.msg === 'drained')).toMatchObject({ cut: 0 });
    expect(lines.findIndex((l) => l.msg === 'engine stopped; exiting')).toBeGreaterThan(lines.findIndex((l) => l.reqId === 'drained-upload' && l.msg === 'request'));
    expect(() => process.kill(enginePid, 0)).toThrow();
  });
});
