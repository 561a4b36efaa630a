import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deletesFile, readDeletes, recordDelete } from './deletes.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'deletes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the record of deleted notices', () => {
  it('is empty before the first delete, then holds each id once', async () => {
    const file = deletesFile(dir);
    expect(readDeletes(file).size).toBe(0);
    await recordDelete(file, 'b1');
    await recordDelete(file, 'a2');
    await recordDelete(file, 'b1');
    expect([...readDeletes(file)].sort()).toEqual(['a2', 'b1']);
  });

  it('refuses a record it cannot read rather than forget the deletes', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{"a":1}');
    expect(() => readDeletes(file)).toThrow(/list of notice ids/);
  });
});
