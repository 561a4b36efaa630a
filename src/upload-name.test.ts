import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, uploadNameProblem } from './upload-name.ts';

describe('upload names', () => {
  it('takes plain names of the known formats, Chinese included', () => {
    for (const name of ['notice.txt', '通报.PDF', 'a b.docx', 'x.y.md', '巡察'.repeat(40) + '.txt']) expect(uploadNameProblem(name), name).toBeUndefined();
  });

  it('counts bytes, not UTF-16 units: 84 CJK characters are 252 bytes', () => {
    const name = '通'.repeat(84) + '.txt';
    expect(name.length).toBeLessThan(200);
    expect(uploadNameProblem(name)).toMatch(/bytes in UTF-8/);
    expect(uploadNameProblem('a'.repeat(MAX_NAME_BYTES - 4) + '.txt')).toBeUndefined();
    expect(uploadNameProblem('a'.repeat(MAX_NAME_BYTES - 3) + '.txt')).toMatch(/bytes/);
  });

  it('refuses names a rebuild would not read back: a leading dot', () => {
    expect(uploadNameProblem('..txt')).toMatch(/dot/);
    expect(uploadNameProblem('.x.txt')).toMatch(/dot/);
  });

  it('refuses control, bidi and zero-width characters, paths and other extensions', () => {
    for (const name of ['a\u0000.txt', 'a\n.txt', 'a\u202e.txt', 'evil\u2067txt.exe.txt', 'a\u200b.txt', 'a\u2028.txt']) expect(uploadNameProblem(name), JSON.stringify(name)).toMatch(/control/);
    expect(uploadNameProblem('../a.txt')).toMatch(/plain/);
    expect(uploadNameProblem('a\\b.txt')).toMatch(/plain/);
    expect(uploadNameProblem('a.exe')).toMatch(/must end/);
    expect(uploadNameProblem(' a.txt')).toMatch(/spaces/);
  });
});
