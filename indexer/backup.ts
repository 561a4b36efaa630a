/**
 * Backups and restores of a DATA_DIR (docs/operations.md#backups). A backup is one gzipped tar
 * (src/backup-manifest.ts): a Meilisearch snapshot of the whole database, the uploads, the
 * recorded deletes and the embedding cache, taken while no index run writes (the caller holds
 * the index-run lock), so the snapshot and the files agree. A restore extracts it into a fresh
 * DATA_DIR and has Meilisearch build its database from the snapshot (`--import-snapshot`): the
 * next start answers exactly as the backed-up one did, without indexing anything again.
 *
 * The archive is written with `tar` (node-tar), which also refuses absolute and `..` paths on
 * extraction; only the listed entries are extracted besides.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create, extract, list } from 'tar';
import { backupEntryAllowed, BACKUP_FORMAT, MANIFEST_ENTRY, parseManifest, SNAPSHOT_ENTRY, type BackupManifest } from '../src/backup-manifest.ts';
import { createEngine } from '../src/engine/client.ts';
import type { Engine } from '../src/engine/port.ts';
import { startMeilisearch } from '../src/engine/process.ts';
import { CodedError } from '../src/errors.ts';
import { INDEX } from '../src/settings.ts';
import { deletesFile, readDeletes } from './deletes.ts';

export interface BackupSource {
  engine: Engine;
  /** Our own Meilisearch's snapshot dir; undefined with MEILI_URL or MEILI_NETWORK (no snapshot: the restore is indexed at start). */
  snapshotDir: string | undefined;
  dataDir: string;
  /** The product's version, recorded in the manifest. */
  product: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export type BackupStep = 'snapshot' | 'archive' | 'done';

/**
 * Writes a backup to `out` (`<out>.part` first, renamed when whole). The caller must keep index
 * runs out meanwhile (api/services.ts runs it under the index-run lock).
 */
export async function createBackup(source: BackupSource, out: string, onStep: (step: BackupStep) => void = () => {}): Promise<BackupResult> {
  const { engine, dataDir } = source;
  await mkdir(path.dirname(out), { recursive: true });
  const manifestFile = path.join(dataDir, MANIFEST_ENTRY);
  const snapshotFile = path.join(dataDir, SNAPSHOT_ENTRY);
  const canSnapshot = source.snapshotDir !== undefined && engine.snapshot !== undefined;
  if (canSnapshot && path.resolve(source.snapshotDir!) !== path.dirname(snapshotFile)) {
    throw new CodedError('BACKUP_FAILED', `the engine's snapshot dir ${source.snapshotDir} is not DATA_DIR/meili/snapshots`);
  }
  const entries: string[] = [MANIFEST_ENTRY];
  try {
    onStep('snapshot');
    if (canSnapshot) {
      await rm(snapshotFile, { force: true });
      await engine.wait(await engine.snapshot!());
      if (!existsSync(snapshotFile)) throw new CodedError('BACKUP_FAILED', `Meilisearch reported its snapshot done, but ${SNAPSHOT_ENTRY} is not in DATA_DIR`);
      entries.push(SNAPSHOT_ENTRY);
    }
    const uploads = uploadNames(path.join(dataDir, 'uploads'));
    entries.push(...uploads.map((n) => `uploads/${n}`));
    for (const f of ['deleted-notices.json', 'embed-cache.bin']) if (existsSync(path.join(dataDir, f))) entries.push(f);
    const [notices, passages] = await Promise.all([engine.index(INDEX.notices).stats(), engine.index(INDEX.passages).stats()]);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      product: source.product,
      engineVersion: canSnapshot ? await engine.version() : null,
      snapshot: canSnapshot,
      notices: notices?.numberOfDocuments ?? 0,
      passages: passages?.numberOfDocuments ?? 0,
      uploads: uploads.length,
      deletes: readDeletes(deletesFile(dataDir)).size,
    };
    await writeFile(manifestFile, JSON.stringify(manifest, null, 1) + '\n');

    onStep('archive');
    const part = `${out}.part`;
    await create({ gzip: true, file: part, cwd: dataDir, portable: true }, entries);
    await rename(part, out);
    onStep('done');
    return { file: out, bytes: (await stat(out)).size, manifest };
  } catch (e) {
    await rm(`${out}.part`, { force: true });
    throw e instanceof CodedError ? e : new CodedError('BACKUP_FAILED', `backup to ${out} failed: ${(e as Error).message}`, { cause: e });
  } finally {
    await rm(manifestFile, { force: true });
    await rm(snapshotFile, { force: true });
  }
}

/** Files an upload left in place: hidden ones are `.part` files of unfinished writes. */
function uploadNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => !n.startsWith('.') && statSync(path.join(dir, n)).isFile()).sort();
}

export interface RestoreOptions {
  dataDir: string;
  /** Our Meilisearch's --http-payload-size-limit (MEILI_PAYLOAD_LIMIT). */
  payloadLimit?: number;
  log?: (message: string) => void;
}

/**
 * Restores `file` into `dataDir`, which must hold no engine database and no uploads: a restore
 * never mixes with what is there. With a snapshot, Meilisearch builds its database from it here
 * and the counts are checked against the manifest; without one, the next start indexes the
 * restored uploads (and the corpus).
 */
export async function restoreBackup(file: string, options: RestoreOptions): Promise<BackupManifest> {
  const { dataDir } = options;
  const log = options.log ?? (() => {});
  if (!existsSync(file)) throw new CodedError('BACKUP_INVALID', `${file}: no such file`);
  const db = path.join(dataDir, 'meili', 'data.ms');
  if (existsSync(db)) throw new CodedError('RESTORE_TARGET_NOT_EMPTY', `${db} exists: restore into a fresh DATA_DIR, or move ${path.join(dataDir, 'meili')} away first`);
  if (uploadNames(path.join(dataDir, 'uploads')).length > 0) throw new CodedError('RESTORE_TARGET_NOT_EMPTY', `${path.join(dataDir, 'uploads')} holds files: restore into a fresh DATA_DIR, or move them away first`);

  const manifest = parseManifest(await readEntry(file, MANIFEST_ENTRY), file);
  await mkdir(dataDir, { recursive: true });
  await extract({ file, cwd: dataDir, filter: (p) => backupEntryAllowed(p) && p !== MANIFEST_ENTRY });
  const snapshotFile = path.join(dataDir, SNAPSHOT_ENTRY);
  if (!manifest.snapshot) {
    log(`restored ${manifest.uploads} uploads and ${manifest.deletes} deletes; no engine snapshot in this backup: the next start indexes them`);
    return manifest;
  }
  if (!existsSync(snapshotFile)) throw new CodedError('BACKUP_INVALID', `${file}: the manifest names a snapshot, but ${SNAPSHOT_ENTRY} is not in it`);
  log(`importing the Meilisearch snapshot (Meilisearch ${manifest.engineVersion})`);
  try {
    const engine = await importSnapshot(dataDir, snapshotFile, options.payloadLimit, log);
    try {
      const [notices, passages] = await Promise.all([engine.engine.index(INDEX.notices).stats(), engine.engine.index(INDEX.passages).stats()]);
      const got = { notices: notices?.numberOfDocuments ?? 0, passages: passages?.numberOfDocuments ?? 0 };
      if (got.notices !== manifest.notices || got.passages !== manifest.passages) {
        throw new CodedError('BACKUP_INVALID', `${file}: the imported snapshot holds ${got.notices} notices and ${got.passages} passages, the manifest says ${manifest.notices} and ${manifest.passages}`);
      }
    } finally {
      await engine.stop();
    }
  } catch (e) {
    // A half-built database would make the next start serve it, and block a second restore.
    await rm(db, { recursive: true, force: true });
    throw e;
  } finally {
    await rm(snapshotFile, { force: true });
  }
  return manifest;
}

async function importSnapshot(dataDir: string, snapshot: string, payloadLimit: number | undefined, log: (m: string) => void) {
  const supervised = await startMeilisearch({ dataDir, importSnapshot: snapshot, payloadLimit, log }).catch((e: Error) => {
    throw new CodedError('BACKUP_INVALID', `Meilisearch could not import the snapshot (a snapshot loads only into the Meilisearch version that wrote it; see DATA_DIR/meili/meilisearch.log): ${e.message}`, { cause: e });
  });
  const engine = createEngine({ url: supervised.url, key: supervised.key });
  return {
    engine,
    async stop() {
      engine.close();
      await supervised.stop();
    },
  };
}

/** The text of one entry of a tar file, or undefined. */
async function readEntry(file: string, entry: string): Promise<string | undefined> {
  let text: string | undefined;
  try {
    await list({
      file,
      filter: (p) => p === entry,
      onReadEntry: (e) => {
        const chunks: Buffer[] = [];
        e.on('data', (c: Buffer) => chunks.push(c));
        e.on('end', () => (text = Buffer.concat(chunks).toString('utf8')));
      },
    });
  } catch (e) {
    throw new CodedError('BACKUP_INVALID', `${file}: not a readable gzipped tar (${(e as Error).message})`, { cause: e });
  }
  return text;
}
