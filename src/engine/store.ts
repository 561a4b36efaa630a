/**
 * Whether our own Meilisearch's store can be read whole. Meilisearch keeps each index, its task
 * queue and its keys in LMDB files (`data.mdb`), which it maps into memory: a truncated file
 * starts fine and kills the engine with SIGBUS on the first read past its end, which a client
 * sees only as a reset connection. LMDB's two meta pages say how many pages the file must hold,
 * so a short file is found before the engine reads it. Meilisearch offers no check of its own,
 * and no npm package reads LMDB's meta pages without opening (and so mapping) the file.
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import path from 'node:path';

/** LMDB's magic number, at the start of each meta page's body. */
const MAGIC = 0xbeefc0de;
/** Offsets in a meta page (64-bit build): page header 16 bytes, then MDB_meta. */
const AT = { magic: 16, pageSize: 40, lastPage: 136, txnId: 144 } as const;
const MIN_PAGE = 4096;

function dataFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...dataFiles(p));
    else if (entry.name === 'data.mdb') out.push(p);
  }
  return out;
}

/** What is wrong with one LMDB data file, or undefined when its size and meta pages agree. */
export function lmdbProblem(file: string): string | undefined {
  const size = statSync(file).size;
  if (size < 2 * MIN_PAGE) return `${size} bytes, shorter than LMDB's two meta pages`;
  const head = Buffer.alloc(2 * MIN_PAGE);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const pageSize = head.readUInt32LE(AT.pageSize);
  if (head.readUInt32LE(AT.magic) !== MAGIC || pageSize < MIN_PAGE || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return 'not an LMDB file (bad first meta page)';
  const metas = [0, pageSize]
    .filter((at) => at + AT.txnId + 8 <= head.length && head.readUInt32LE(at + AT.magic) === MAGIC)
    .map((at) => ({ lastPage: head.readBigUInt64LE(at + AT.lastPage), txnId: head.readBigUInt64LE(at + AT.txnId) }));
  // The meta of the newest transaction is the one LMDB opens.
  const meta = metas.sort((a, b) => (a.txnId > b.txnId ? -1 : a.txnId < b.txnId ? 1 : 0))[0];
  if (!meta) return 'not an LMDB file (no meta page)';
  const needed = (meta.lastPage + 1n) * BigInt(pageSize);
  if (BigInt(size) < needed) return `truncated: ${size} bytes where its pages need ${needed}`;
  return undefined;
}

/** Problems of the store at `dbPath` (Meilisearch's --db-path), each naming its file relative to it; none for a new store. */
export function storeProblems(dbPath: string): string[] {
  if (!existsSync(dbPath)) return [];
  const problems: string[] = [];
  for (const file of dataFiles(dbPath)) {
    let problem: string | undefined;
    try {
      problem = lmdbProblem(file);
    } catch (e) {
      problem = `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    }
    if (problem) problems.push(`${path.relative(dbPath, file)}: ${problem}`);
  }
  return problems;
}
