import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shownName } from './files.ts';

describe('the name a file is shown by', () => {
  const data = path.resolve('/srv/data');
  it('is the path relative to the folder it was found in', () => {
    expect(shownName([path.resolve('/srv/corpus'), path.join(data, 'uploads')], path.join(data, 'uploads', '通报.txt'))).toBe('通报.txt');
    expect(shownName([data], path.join(data, 'a', 'b.txt'))).toBe('a/b.txt');
  });

  it('is the file name for a file given as itself or found nowhere under the roots', () => {
    const file = path.join(data, 'uploads', 'x.txt');
    expect(shownName([file], file)).toBe('x.txt');
    expect(shownName([path.resolve('/elsewhere')], file)).toBe('x.txt');
    expect(shownName([path.join(data, 'up')], path.join(data, 'uploads', 'x.txt'))).toBe('x.txt');
  });
});
