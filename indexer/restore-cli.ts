/**
 * npm run restore -- FILE
 *
 * Restores a backup (npm run backup, POST /api/admin/backup) into DATA_DIR, which must hold no
 * engine database and no uploads (indexer/backup.ts). Then `npm start` answers as the backed-up
 * server did.
 */
import { readConfig } from '../src/config.ts';
import { restoreBackup } from './backup.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]!.startsWith('--')) throw new Error('usage: npm run restore -- FILE (into DATA_DIR, which must be fresh)');
  const config = readConfig();
  if (config.meiliUrl || config.meiliNetwork) throw new Error('restore builds our own Meilisearch from the snapshot: unset MEILI_URL and MEILI_NETWORK (with them, restore into a DATA_DIR and let the next start index it)');
  const m = await restoreBackup(args[0]!, { dataDir: config.dataDir, payloadLimit: config.meiliPayloadLimit, log: (l) => console.error(`restore: ${l}`) });
  console.error(`restore: ${config.dataDir} holds the backup of ${m.createdAt}: ${m.notices} notices, ${m.passages} passages, ${m.uploads} uploads, ${m.deletes} deletes. Start it with npm start.`);
}

main().catch((e: Error & { code?: string }) => {
  console.error(`restore failed${e.code ? ` (${e.code})` : ''}: ${e.message}`);
  process.exit(1);
});
