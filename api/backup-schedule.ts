/**
 * Scheduled backups (SNAPSHOT_INTERVAL): every interval a backup into DATA_DIR/backups named
 * `scheduled-<time>.tar.gz`, then the oldest scheduled ones beyond BACKUP_KEEP removed (backups
 * taken by hand are never removed). A backup that cannot be taken (disk below the watermark, the
 * engine away) is logged and tried again at the next tick; one never overlaps the next.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { backupFileName, backupsToPrune } from '../src/backup-manifest.ts';
import type { Services } from './services.ts';

export interface BackupScheduleOptions {
  /** Seconds between backups; 0: none. */
  intervalSeconds: number;
  dir: string;
  keep: number;
  log: (message: string) => void;
}

const PREFIX = 'scheduled';

/** Starts the schedule; `stop` ends it and waits for a backup under way. */
export function scheduleBackups(services: Pick<Services, 'backup' | 'assertWritable'>, options: BackupScheduleOptions): { stop(): Promise<void> } {
  if (options.intervalSeconds === 0) return { stop: async () => {} };
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = (async () => {
      try {
        await services.assertWritable('scheduled backup');
        const { file, bytes } = await services.backup(path.join(options.dir, backupFileName(new Date(), PREFIX)));
        for (const name of backupsToPrune(await readdir(options.dir), PREFIX, options.keep)) await rm(path.join(options.dir, name), { force: true });
        options.log(`scheduled backup ${path.basename(file)} (${bytes} bytes)`);
      } catch (e) {
        options.log(`scheduled backup failed: ${(e as Error).message}`);
      } finally {
        busy = false;
      }
    })();
  };
  const timer = setInterval(tick, options.intervalSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
