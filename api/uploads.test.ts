import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IndexSummary } from '../indexer/run.ts';
import { keepIfIndexed } from './uploads.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'uploads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summary = (skipped: string[]): IndexSummary => ({ files: 1, indexed: 0, unchanged: 0, notices: 0, passages: 0, skipped: skipped.map((file) => ({ file, reason: 'no-text' })), pruned: 0, rebuilt: false, resumed: false, reconciled: { removed: 0, rewritten: 0, relisted: 0 }, seconds: 0 });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('an upload kept only once indexed', () => {
  it('keeps what the index run took, removes what it skipped, and puts back the earlier file of a skipped name', async () => {
    writeFileSync(path.join(dir, 'old.txt'), 'earlier');
    const seen: string[] = [];
    await keepIfIndexed(dir, [{ name: 'new.txt', bytes: bytes('new') }, { name: 'bad.txt', bytes: bytes('bad') }, { name: 'old.txt', bytes: bytes('replaced') }], async (paths) => {
      seen.push(...paths.map((p) => readFileSync(p, 'utf8')));
      return summary([path.join(dir, 'bad.txt'), path.join(dir, 'old.txt')]);
    });
    expect(seen).toEqual(['new', 'bad', 'replaced']);
    expect(readdirSync(dir).sort()).toEqual(['new.txt', 'old.txt']);
    expect(readFileSync(path.join(dir, 'old.txt'), 'utf8')).toBe('earlier');
  });

  it('puts every file back as it was when the index run fails', async () => {
    await expect(keepIfIndexed(dir, [{ name: 'new.txt', bytes: bytes('newer') }, { name: 'other.txt', bytes: bytes('x') }], async () => {
      throw new Error('engine refused');
    })).rejects.toThrow('engine refused');
    expect(readdirSync(dir).sort()).toEqual(['new.txt', 'old.txt']);
    expect(readFileSync(path.join(dir, 'new.txt'), 'utf8')).toBe('new');
  });
});
