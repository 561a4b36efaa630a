import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { normalize, normalizeKeepingOffsets, normalizeWithMap } from './normalize.ts';

const corpusDir = fileURLToPath(new URL('../data/corpus/', import.meta.url));

describe('normalize', () => {
  it('folds width, case and traditional characters, keeping a simplified text as it is', () => {
    expect(normalize('醫共體，ＩＣＵ')).toBe('医共体,icu');
    expect(normalize('我們著力推進')).toBe('我们着力推进');
    expect(normalize('著名的著作')).toBe('著名的著作');
  });
  it('drops spaces next to Chinese and keeps one between Latin words', () => {
    expect(normalize(' 医 共体  建设 ')).toBe('医共体建设');
    expect(normalize('ICU   ward')).toBe('icu ward');
  });
  it('maps every normalized character back to the original offset', () => {
    const { text, map } = normalizeWithMap('Ａ 醫x');
    expect(text).toBe('a医x');
    expect(map).toEqual([0, 2, 3]);
  });
  it('keeps characters outside the BMP and lone surrogates whole, with their offsets', () => {
    const { text, map } = normalizeWithMap('𠀀 醫\ud800Ａ');
    expect(text).toBe('𠀀医\ud800a');
    expect(map).toEqual([0, 0, 3, 4, 5]);
  });
  it('normalizeKeepingOffsets is normalizeWithMap with the identity map, where it answers', () => {
    expect(normalizeKeepingOffsets('医共体，ＩＣＵ建设')).toBe('医共体,icu建设');
    expect(normalizeKeepingOffsets('医共体建设')).toBe('医共体建设');
    // Offsets would move (blank folding, a two-unit character) or a phrase table applies.
    for (const t of ['医共体 建设', '医共体\n建设', '𠀀医', '醫共體', '①医']) {
      if (normalizeKeepingOffsets(t) !== undefined) expect(normalizeWithMap(t).map).toEqual([...t].map((_, i) => i));
    }
    expect(normalizeKeepingOffsets('医共体 建设')).toBeUndefined();
    expect(normalizeKeepingOffsets('醫共體')).toBeUndefined();
    let answered = 0;
    const lines = readdirSync(corpusDir).flatMap((f) => readFileSync(corpusDir + f, 'utf8').split('\n')).filter((l) => l.trim());
    for (const line of lines) {
      const same = normalizeKeepingOffsets(line);
      const full = normalizeWithMap(line);
      if (same === undefined) continue;
      answered++;
      expect(same).toBe(full.text);
      expect(full.map.every((offset, i) => offset === i)).toBe(true);
    }
    expect(answered).toBeGreaterThan(lines.length / 2);
  });
});
