/**
 * What a backup file holds, and what a restore accepts from one. A backup is a gzipped tar whose
 * paths are relative to DATA_DIR, so a restore extracts it in place:
 *
 * | entry | what |
 * |---|---|
 * | `backup-manifest.json` | this manifest (format, when, engine version, counts) |
 * | `meili/snapshots/data.ms.snapshot` | Meilisearch's snapshot of the whole database (when we run the engine) |
 * | `uploads/…` | the uploaded files |
 * | `deleted-notices.json` | the recorded deletes |
 * | `embed-cache.bin` | the embedding cache (a rebuild then embeds nothing again) |
 */
import { CodedError } from './errors.ts';

export const MANIFEST_ENTRY = 'backup-manifest.json';
export const SNAPSHOT_ENTRY = 'meili/snapshots/data.ms.snapshot';
export const BACKUP_FORMAT = 'notice-search-backup';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  /** The product's version that wrote it. */
  product: string;
  /** Meilisearch version of the snapshot (snapshots only load into the same version); null without one. */
  engineVersion: string | null;
  /** Whether the file holds an engine snapshot; without one the restored DATA_DIR is indexed at the next start. */
  snapshot: boolean;
  notices: number;
  passages: number;
  uploads: number;
  deletes: number;
}

/** Whether a restore writes this archive entry: only the entries above, never a path out of DATA_DIR. */
export function backupEntryAllowed(entry: string): boolean {
  const p = entry.replace(/^\.\//, '');
  if (p.split('/').some((part) => part === '..') || p.startsWith('/')) return false;
  return p === MANIFEST_ENTRY || p === SNAPSHOT_ENTRY || p === 'deleted-notices.json' || p === 'embed-cache.bin' || p === 'uploads' || p === 'uploads/' || /^uploads\/[^/]+$/.test(p);
}

/** The manifest in `text`, checked; BACKUP_INVALID names what is wrong. */
export function parseManifest(text: string | undefined, file: string): BackupManifest {
  if (text === undefined) throw new CodedError('BACKUP_INVALID', `${file}: no ${MANIFEST_ENTRY} in it: not a backup written by npm run backup`);
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw new CodedError('BACKUP_INVALID', `${file}: ${MANIFEST_ENTRY} is not JSON`);
  }
  const o = (m ?? {}) as Partial<Record<keyof BackupManifest, unknown>>;
  if (o.format !== BACKUP_FORMAT || o.version !== 1) throw new CodedError('BACKUP_INVALID', `${file}: format ${JSON.stringify(o.format)} version ${JSON.stringify(o.version)}, expected ${BACKUP_FORMAT} version 1`);
  const counts = ['notices', 'passages', 'uploads', 'deletes'] as const;
  for (const k of counts) if (!Number.isInteger(o[k])) throw new CodedError('BACKUP_INVALID', `${file}: manifest field ${k} is not a count`);
  if (typeof o.snapshot !== 'boolean' || typeof o.createdAt !== 'string' || typeof o.product !== 'string') throw new CodedError('BACKUP_INVALID', `${file}: manifest lacks snapshot, createdAt or product`);
  if (o.engineVersion !== null && typeof o.engineVersion !== 'string') throw new CodedError('BACKUP_INVALID', `${file}: manifest engineVersion is not a string`);
  return o as BackupManifest;
}

/** `notice-search-2026-12-03T20-15-00Z.tar.gz`: sortable by time, no characters a shell or file system minds. */
export function backupFileName(at: Date, prefix = 'notice-search'): string {
  return `${prefix}-${at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.tar.gz`;
}

/** The scheduled backups to remove so that `keep` remain: the oldest by name (names sort by time). */
export function backupsToPrune(names: readonly string[], prefix: string, keep: number): string[] {
  const ours = names.filter((n) => n.startsWith(`${prefix}-`) && n.endsWith('.tar.gz')).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}
