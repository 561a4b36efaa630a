/**
 * npm run rebuild-store [-- --force]: sets aside our own Meilisearch's store so that the next
 * start builds the index again from what DATA_DIR and the corpus hold (the corpus, uploads/,
 * deleted-notices.json). The way out of ENGINE_STORE_CORRUPT when there is no backup to restore.
 * Moved, not deleted: `data.ms.broken-<time>` can be removed once the new index answers.
 * Refuses while the engine runs, and, without --force, when the store reads as sound.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { readConfig } from '../src/config.ts';
import { storeProblems } from '../src/engine/store.ts';

function running(pidFile: string, dbPath: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dbPath) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function main(): void {
  const config = readConfig();
  if (config.meiliUrl || config.meiliNetwork) throw new Error('MEILI_URL / MEILI_NETWORK: that Meilisearch is not ours to set aside; rebuild with POST /api/admin/reindex');
  const dir = path.join(config.dataDir, 'meili');
  const dbPath = path.join(dir, 'data.ms');
  if (!existsSync(dbPath)) {
    console.error(`no store at ${dbPath}: the next start builds one`);
    return;
  }
  const pid = running(path.join(dir, 'pid'), dbPath);
  if (pid !== undefined) throw new Error(`Meilisearch (pid ${pid}) still runs on ${dbPath}: stop the service first`);
  const problems = storeProblems(dbPath);
  if (problems.length === 0 && !process.argv.includes('--force')) throw new Error(`${dbPath} reads as sound; give --force to rebuild it anyway`);
  for (const p of problems) console.error(`  ${p}`);
  const aside = `${dbPath}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dbPath, aside);
  console.error(`moved ${dbPath} to ${aside}; start the service (npm start) and it indexes the corpus and uploads again`);
}

try {
  main();
} catch (e) {
  console.error(`rebuild-store: ${(e as Error).message}`);
  process.exit(1);
}
