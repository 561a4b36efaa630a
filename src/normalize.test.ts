import { describe, expect, it } from 'vitest';
import { normalize, normalizeWithMap } from './normalize.ts';

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
});
