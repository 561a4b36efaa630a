import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeProblems } from './store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An LMDB file of `pages` pages of 4096 bytes whose meta pages say its last page is `lastPage`. */
function lmdb(file: string, pages: number, lastPage: number): void {
  const bytes = Buffer.alloc(pages * 4096);
  for (const [at, txn] of [[0, 7n], [4096, 8n]] as const) {
    bytes.writeUInt32LE(0xbeefc0de, at + 16);
    bytes.writeUInt32LE(4096, at + 40);
    bytes.writeBigUInt64LE(BigInt(lastPage), at + 136);
    bytes.writeBigUInt64LE(txn, at + 144);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

describe('the engine store check', () => {
  it('passes whole files and names truncated or foreign ones by their path in the store', () => {
    const db = path.join(dir, 'data.ms');
    lmdb(path.join(db, 'tasks', 'data.mdb'), 30, 29);
    lmdb(path.join(db, 'indexes', 'a', 'data.mdb'), 16, 15);
    expect(storeProblems(db)).toEqual([]);
    truncateSync(path.join(db, 'indexes', 'a', 'data.mdb'), 8192);
    writeFileSync(path.join(db, 'auth-data.mdb'), 'x');
    mkdirSync(path.join(db, 'auth'));
    writeFileSync(path.join(db, 'auth', 'data.mdb'), Buffer.alloc(8192, 1));
    expect(storeProblems(db)).toEqual([
      'auth/data.mdb: not an LMDB file (bad first meta page)',
      'indexes/a/data.mdb: truncated: 8192 bytes where its pages need 65536',
    ]);
    expect(storeProblems(path.join(dir, 'none'))).toEqual([]);
  });
});
