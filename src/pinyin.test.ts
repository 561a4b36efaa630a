import { describe, expect, it } from 'vitest';
import { isPinyinInput, matchesPinyin, pinyinKeys, readings, typedKeys } from './pinyin.ts';

describe('pinyinKeys (index time)', () => {
  it('gives a term its full pinyin and its initials', () => {
    expect(pinyinKeys('医共体')).toEqual(['yigongti', 'ygt']);
  });

  it('reads polyphones in context first, then their other readings', () => {
    expect(readings('重庆')[0]).toEqual(['chong', 'qing']);
    expect(readings('重点')[0]).toEqual(['zhong', 'dian']);
    expect(pinyinKeys('重点')).toEqual(expect.arrayContaining(['zhongdian', 'zd', 'chongdian', 'cd']));
    expect(readings('银行')[0]).toEqual(['yin', 'hang']);
    expect(readings('行政执法')[0]).toEqual(['xing', 'zheng', 'zhi', 'fa']);
    expect(pinyinKeys('行政执法')).toEqual(expect.arrayContaining(['xingzhengzhifa', 'xzzf', 'hangzhengzhifa']));
  });

  it('writes ü as u and keeps Latin letters as they are', () => {
    expect(pinyinKeys('绿色')).toContain('luse');
    expect(pinyinKeys('icu病房')).toEqual(['icubingfang', 'icubf']);
  });

  it('gives no keys to terms with digits or signs, nor to Latin-only terms', () => {
    expect(pinyinKeys('2024年')).toEqual([]);
    expect(pinyinKeys('drg')).toEqual([]);
  });
});

describe('typed pinyin (query time)', () => {
  it('reads letters, with characters, spaces or apostrophes, as pinyin; Chinese alone is not', () => {
    for (const t of ['yigongti', 'yi gong ti', 'ygt', '医gt', "xi'an", 'YGT']) expect(isPinyinInput(t)).toBe(true);
    for (const t of ['医共体', '2024', 'a-b', '']) expect(isPinyinInput(t)).toBe(false);
  });

  it('turns what was typed into key prefixes: typed characters as full pinyin or initials', () => {
    expect(typedKeys('yi gong ti')).toEqual(['yigongti']);
    expect(typedKeys('医gt')).toEqual(['yigt', 'ygt']);
    expect(typedKeys('lvse')).toEqual(['luse']);
    expect(typedKeys('行z')).toEqual(expect.arrayContaining(['xingz', 'hangz', 'xz', 'hz']));
  });

  it('matches full pinyin, initials, spaced and mixed input from the first character', () => {
    for (const t of ['yigongti', 'yi gong ti', 'ygt', '医gt', 'yigt', '医gongti', 'YiGongTi']) expect(matchesPinyin('医共体', t)).toBe('whole');
    expect(matchesPinyin('医共体建设', 'ygt')).toBe('start');
    expect(matchesPinyin('医共体', 'yigong')).toBe('start');
    expect(matchesPinyin('县域医共体', 'ygt')).toBeNull();
    expect(matchesPinyin('医共体', '共gt')).toBeNull();
    expect(matchesPinyin('绿色', 'lvse')).toBe('whole');
  });

  it('matches either reading of a polyphone', () => {
    expect(matchesPinyin('重庆', 'chongqing')).toBe('whole');
    expect(matchesPinyin('重点', 'zhongdian')).toBe('whole');
    expect(matchesPinyin('银行', 'yinhang')).toBe('whole');
    expect(matchesPinyin('行政', 'xingzheng')).toBe('whole');
    expect(matchesPinyin('行政', 'xz')).toBe('whole');
    expect(matchesPinyin('行政', 'yz')).toBeNull();
  });
});
