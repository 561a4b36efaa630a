/**
 * Processes the bench measures from outside: memory from /proc, size on disk, and the API run as
 * its own process the way `npm start` runs it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/engine/process.ts';
import { ROOT } from '../helpers/stack.ts';

export interface Memory {
  /** Peak resident set (VmHWM), MB. */
  peakMb: number;
  /** Resident set now (VmRSS), MB. */
  rssMb: number;
  /** Of that, anonymous memory (RssAnon): what the process allocated, not mapped files (Meilisearch maps its whole database). */
  anonMb: number;
}

export function memoryOf(pid: number | undefined): Memory | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024), anonMb: Math.round(kb('RssAnon') / 1024) };
  } catch {
    return null;
  }
}

/** Bytes a file or folder takes on disk (allocated blocks, so sparse LMDB files count what they use). */
export function diskBytes(dir: string): number {
  let total = 0;
  try {
    const info = statSync(dir);
    if (info.isFile()) return info.blocks * 512;
  } catch {
    return 0;
  }
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += statSync(p).blocks * 512;
    }
  };
  try {
    walk(dir);
  } catch {
    // not there
  }
  return total;
}

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export interface ApiProcess {
  url: string;
  pid: number;
  /** The Meilisearch the API started (its pid file under DATA_DIR/meili). */
  meili: { url: string; key: string; pid: () => number | undefined };
  /** Seconds from spawn to /healthz 200. */
  startSeconds: number;
  stop(): Promise<void>;
}

/**
 * `npm start` as its own process: the same bundle (`npm run build`, then node dist/main.mjs, so
 * the pid is the API's own and its RSS is the API's), DATA_DIR pointing at the bench data.
 * Resolves once /healthz answers 200.
 */
export async function startApi(options: { dataDir: string; env: Record<string, string>; log: (m: string) => void; logFile: string }): Promise<ApiProcess> {
  const port = await freePort();
  const meiliPort = await freePort();
  const fd = openSync(options.logFile, 'a');
  const started = performance.now();
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'dist/main.mjs')], {
    cwd: ROOT,
    // The bench measures speed: no rate limits and no model cap unless a section asks (abuse.ts).
    env: { ...process.env, RATE_LIMIT: '0', MODEL_RATE_LIMIT: '0', MODEL_CONCURRENCY: '0', ...options.env, DATA_DIR: options.dataDir, PORT: String(port), MEILI_PORT: String(meiliPort), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} while starting; see ${options.logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the API was not ready within 30 minutes; see ${options.logFile}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const meiliDir = path.join(options.dataDir, 'meili');
  const key = readFileSync(path.join(meiliDir, 'master-key'), 'utf8').trim();
  return {
    url,
    pid: child.pid!,
    meili: {
      url: `http://127.0.0.1:${meiliPort}`,
      key,
      pid: () => {
        try {
          return Number(readFileSync(path.join(meiliDir, 'pid'), 'utf8').trim()) || undefined;
        } catch {
          return undefined;
        }
      },
    },
    startSeconds: (performance.now() - started) / 1000,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
