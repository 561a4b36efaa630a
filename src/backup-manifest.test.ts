import { describe, expect, it } from 'vitest';
import { backupEntryAllowed, backupFileName, backupsToPrune, parseManifest } from './backup-manifest.ts';

const manifest = { format: 'notice-search-backup', version: 1, createdAt: '2026-12-03T20:00:00.000Z', product: '0.1.0', engineVersion: '1.21.0', snapshot: true, notices: 3, passages: 40, uploads: 1, deletes: 0 };

describe('what a restore extracts', () => {
  it('takes the backup entries and nothing else', () => {
    for (const p of ['backup-manifest.json', 'meili/snapshots/data.ms.snapshot', 'deleted-notices.json', 'embed-cache.bin', 'uploads/通报.txt', './uploads/a.pdf']) expect(backupEntryAllowed(p), p).toBe(true);
    for (const p of ['../etc/passwd', '/etc/passwd', 'uploads/../../x', 'uploads/sub/x.txt', 'meili/master-key', 'meili/data.ms/data.mdb', 'models/x.onnx']) expect(backupEntryAllowed(p), p).toBe(false);
  });
});

describe('the manifest', () => {
  it('reads one written by npm run backup', () => {
    expect(parseManifest(JSON.stringify(manifest), 'f.tar.gz')).toEqual(manifest);
  });

  it('names what is wrong with anything else', () => {
    expect(() => parseManifest(undefined, 'f.tar.gz')).toThrow(/no backup-manifest.json/);
    expect(() => parseManifest('{', 'f.tar.gz')).toThrow(/not JSON/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, version: 2 }), 'f.tar.gz')).toThrow(/version 2, expected notice-search-backup version 1/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, notices: '3' }), 'f.tar.gz')).toThrow(/notices is not a count/);
    expect(() => parseManifest(JSON.stringify({ ...manifest, snapshot: 'yes' }), 'f.tar.gz')).toThrow(/lacks snapshot/);
    let caught: unknown;
    try {
      parseManifest('null', 'f.tar.gz');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'BACKUP_INVALID', status: 400 });
  });
});

describe('backup files', () => {
  it('are named by time, sortably, without colons', () => {
    expect(backupFileName(new Date('2026-12-03T20:15:07.123Z'))).toBe('notice-search-2026-12-03T20-15-07Z.tar.gz');
    expect(backupFileName(new Date('2026-12-03T20:15:07Z'), 'scheduled')).toBe('scheduled-2026-12-03T20-15-07Z.tar.gz');
  });

  it('prunes the oldest scheduled ones only', () => {
    const names = ['scheduled-2026-12-03T03-00-00Z.tar.gz', 'notice-search-2026-01-01T00-00-00Z.tar.gz', 'scheduled-2026-12-03T01-00-00Z.tar.gz', 'scheduled-2026-12-03T02-00-00Z.tar.gz', 'scheduled-x.tar.gz.part'];
    expect(backupsToPrune(names, 'scheduled', 2)).toEqual(['scheduled-2026-12-03T01-00-00Z.tar.gz']);
    expect(backupsToPrune(names, 'scheduled', 5)).toEqual([]);
  });
});
