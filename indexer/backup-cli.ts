/**
 * npm run backup -- [FILE] [--api URL]
 *
 * Writes a backup of DATA_DIR (indexer/backup.ts) to FILE, default DATA_DIR/backups/<time>.tar.gz.
 * While the API runs, its engine holds the database: then `--api URL` (with ADMIN_KEY in the
 * environment) asks the running API to take it (POST /api/admin/backup) and waits for the job;
 * the file is written under the server's DATA_DIR/backups.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readConfig } from '../src/config.ts';
import { backupFileName } from '../src/backup-manifest.ts';
import { runningEnginePid } from '../src/engine/process.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { createBackup } from './backup.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const USAGE = 'usage: npm run backup -- [FILE] [--api http://host:port (ADMIN_KEY in the environment)]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--api');
  const api = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (at >= 0 && !api?.match(/^https?:\/\//)) throw new Error(`--api: an http(s) URL is expected\n${USAGE}`);
  const unknown = args.find((a) => a.startsWith('--'));
  if (unknown || args.length > 1) throw new Error(`${unknown ? `unknown option ${unknown}` : 'one FILE at most'}\n${USAGE}`);
  if (api) return backupThroughApi(api, args[0]);

  const config = readConfig();
  const pid = !config.meiliUrl && !config.meiliNetwork ? runningEnginePid(config.dataDir) : undefined;
  if (pid !== undefined) {
    throw new Error(`the API (Meilisearch pid ${pid}) is running over ${config.dataDir}: ask it instead, npm run backup -- --api http://localhost:${config.port} (with ADMIN_KEY set)`);
  }
  const out = path.resolve(args[0] ?? path.join(config.backupDir, backupFileName(new Date())));
  // The backup reads files and the engine only: no model needed.
  const runtime = await openRuntime({ ...config, embeddings: false });
  try {
    const { file, bytes, manifest } = await createBackup(
      { engine: runtime.engine, snapshotDir: runtime.supervised?.snapshotDir, dataDir: config.dataDir, product: version },
      out,
      (step) => step !== 'done' && console.error(`backup: ${step}…`),
    );
    console.error(`backup: ${file} (${bytes} bytes): ${manifest.notices} notices, ${manifest.passages} passages, ${manifest.uploads} uploads, ${manifest.deletes} deletes${manifest.snapshot ? '' : '; no engine snapshot (MEILI_URL/MEILI_NETWORK): a restore indexes at start'}`);
  } finally {
    await runtime.close();
  }
}

async function backupThroughApi(api: string, file: string | undefined): Promise<void> {
  if (file) throw new Error(`with --api the server writes the file under its DATA_DIR/backups; give no FILE\n${USAGE}`);
  const key = process.env.ADMIN_KEY;
  if (!key) throw new Error('--api needs ADMIN_KEY in the environment');
  const headers = { Authorization: `Bearer ${key}` };
  let res = await fetch(new URL('/api/admin/backup', api), { method: 'POST', headers });
  let body = (await res.json()) as { job?: { id: string; state: string; step: string | null; result?: unknown; error?: { message: string } }; error?: { message: string } };
  while (res.status === 202 || body.job?.state === 'running') {
    console.error(`backup: job ${body.job?.id} ${body.job?.step ?? 'running'}…`);
    await new Promise((r) => setTimeout(r, 2_000));
    res = await fetch(new URL(`/api/admin/jobs/${body.job?.id}`, api), { headers });
    body = (await res.json()) as typeof body;
  }
  const failure = body.error?.message ?? (body.job?.state === 'failed' ? body.job.error?.message : undefined);
  if (!res.ok || failure) throw new Error(`the API answered ${res.status}: ${failure ?? JSON.stringify(body)}`);
  console.error(`backup: ${JSON.stringify(body.job?.result ?? body)}`);
}

main().catch((e: Error) => {
  console.error(`backup: ${e.message}`);
  process.exit(1);
});
