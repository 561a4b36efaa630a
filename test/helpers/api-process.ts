/**
 * The API as its own process, as `npm start` runs it (api/main.ts, its own Meilisearch under its
 * own DATA_DIR), for the fault tests: killed with -9, restarted over the same DATA_DIR, and its
 * engine (whose pid the supervisor keeps in `DATA_DIR/meili/pid`) killed under it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/engine/process.ts';
import { ROOT } from './stack.ts';

export interface ApiProcess {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything it wrote on stderr so far. */
  output(): string;
  /** Resolves with its exit code (or signal name). */
  exited: Promise<number | string>;
  /** JSON request; `body` parsed when it is JSON. */
  call<T = any>(route: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** The engine's current pid. */
  enginePid(): number;
  /** SIGTERM and wait for the exit (it stops its engine). */
  stop(): Promise<void>;
}

export const FAULT_KEY = 'fault-test-admin-key-0123456789';

export async function spawnApi(dataDir: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/main.ts')], {
    cwd: ROOT,
    // No rate limit: the tests poll what a searcher sees until a fault is mended, and at the
    // default budget a slow mend turned into 429s that the poll could never get past.
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, EMBEDDINGS: 'off', ADMIN_KEY: FAULT_KEY, RATE_LIMIT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  const api: ApiProcess = {
    url,
    dataDir,
    child,
    output: () => out,
    exited,
    async call(route, init) {
      const res = await fetch(url + route, init);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: body as never };
    },
    enginePid: () => Number(readFileSync(path.join(dataDir, 'meili', 'pid'), 'utf8').trim()),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  return api;
}

/** Waits until /healthz answers 200, or the process exits (then rejects with its output). */
export async function whenReady(api: ApiProcess, timeoutMs = 180_000): Promise<ApiProcess> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void api.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the API exited while starting:\n${api.output()}`);
    try {
      if ((await api.call('/healthz')).status === 200) return api;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not become ready within ${timeoutMs} ms:\n${api.output()}`);
}
