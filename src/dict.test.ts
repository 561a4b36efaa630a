import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkStopWords, DictError, parseStopWords, parseSynonyms, parseUserDict } from './dict.ts';

const dictFile = (name: string) => readFileSync(new URL(`../data/dict/${name}`, import.meta.url), 'utf8');

/** Runs `fn`, expecting a DictError, and returns it. */
function dictError(fn: () => unknown): DictError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DictError);
    return err as DictError;
  }
  throw new Error('expected a DictError');
}

describe('parseUserDict', () => {
  it('reads the project dictionary: 150+ domain terms, the core ones among them', () => {
    const entries = parseUserDict(dictFile('user.dict.utf8'));
    expect(entries.length).toBeGreaterThanOrEqual(150);
    const words = new Set(entries.map((e) => e.word));
    for (const term of [
      '医共体', '医联体', '一岗双责', '巡察整改', '第一议题', '三重一大', '四风', '村卫生室', '医德医风',
      '紧密型', '党风廉政', '民主生活会', '家庭医生', '分级诊疗', '公共卫生', '中医药', '意识形态',
      '行政执法', '台账', '人才引进', '医疗废弃物', '医保基金', '集中采购', '带量采购', '两个责任',
      '一把手', '四个意识', '两个维护', '八项规定', '整改落实', '问题清单', '责任清单', '整改清单',
    ]) {
      expect(words, term).toContain(term);
    }
    expect(entries[0]).toEqual({ word: '巡察整改', freq: 3000, tag: 'nz', line: 1 });
  });

  it('accepts the three jieba forms and empty lines', () => {
    expect(parseUserDict('医共体\n\n医联体 nz\n一岗双责 20 l\n')).toEqual([
      { word: '医共体', freq: null, tag: null, line: 1 },
      { word: '医联体', freq: null, tag: 'nz', line: 3 },
      { word: '一岗双责', freq: 20, tag: 'l', line: 4 },
    ]);
  });

  it('refuses what jieba would misread, naming every bad line at once', () => {
    const text = [
      '# comment', // 1: jieba would add "#" as a word
      '医共体 3000', // 2: jieba reads 3000 as the tag
      '醫聯體 3000 nz', // 3: traditional: jieba only ever sees normalized text
      '医共体 3000 nz', // 4: fine
      '医共体 10 nz', // 5: duplicate of line 4
      '巡察  整改', // 6: double space
      '村 3000 nz', // 7: single character
      '台账 3000 nz x', // 8: four fields
      '四风 0 nz', // 9: frequency 0
    ].join('\n');
    const err = dictError(() => parseUserDict(text));
    expect(err.code).toBe('DICT_MALFORMED');
    expect(err.file).toBe('user.dict.utf8');
    expect(err.issues.map((i) => i.line)).toEqual([1, 2, 3, 5, 6, 7, 8, 9]);
    expect(err.issues[1]!.message).toContain('医共体 3000 nz');
    expect(err.issues[2]!.message).toContain('"医联体"');
    expect(err.issues[3]!.message).toContain('line 4');
    expect(err.message).toMatch(/^user\.dict\.utf8: line 1: /);
  });

  it('refuses CRLF line endings and a byte-order mark', () => {
    expect(dictError(() => parseUserDict('医共体 3000 nz\r\n医联体 3000 nz\r\n')).issues.map((i) => i.line)).toEqual([1, 2]);
    expect(dictError(() => parseUserDict('\uFEFF医共体 3000 nz\n')).issues[0]!.message).toContain('byte-order mark');
  });
});

describe('parseStopWords', () => {
  it('skips comments and blank lines and normalizes each word', () => {
    expect(parseStopWords('# particles\n\n  开展  \n開展\n进行\nICP\n')).toEqual(new Set(['开展', '进行', 'icp']));
  });

  it('reads the project stop words: function words and page chrome', () => {
    const words = parseStopWords(dictFile('stop_words.utf8'));
    for (const w of ['一是', '进一步', '关于', '浏览', '次数', '发布', '免责', '版权所有', 'copyright']) expect(words).toContain(w);
    expect([...words].every((w) => w === w.trim() && !w.startsWith('#'))).toBe(true);
  });

  it('refuses two words on one line', () => {
    const err = dictError(() => parseStopWords('的\n开展 进行\n'));
    expect(err.issues).toEqual([{ line: 2, message: expect.stringContaining('one word per line') }]);
  });
});

describe('parseSynonyms', () => {
  it('reads the project groups: canonical first, every member normalized and in one group only', () => {
    const groups = parseSynonyms(dictFile('synonyms.txt'));
    expect(groups).toHaveLength(2);
    expect(groups).toContainEqual(['医共体', '医疗卫生共同体', '医疗共同体']);
    expect(groups).toContainEqual(['医联体', '医疗联合体']);
    const members = groups.flat();
    expect(new Set(members).size).toBe(members.length);
    // 县域医共体 contains 医共体 already; a group for it would add nothing but noise.
    expect(members).not.toContain('县域医共体');
  });

  it('normalizes members, drops repeats and skips comments', () => {
    expect(parseSynonyms('# alliances\n\n醫聯體 医疗联合体 醫療聯合體 医联体\n')).toEqual([['医联体', '医疗联合体']]);
  });

  it('names the line of a malformed group', () => {
    const text = [
      '# groups', // 1
      '医联体 医疗联合体', // 2
      '医共体', // 3: one member
      '医共体,医疗共同体', // 4: comma instead of space
      '医疗卫生共同体 医疗联合体', // 5: 医疗联合体 is already in line 2's group
      '公卫  公共卫生', // 6: double space
      '公卫\t公共卫生', // 7: tab
      '院感 院', // 8: single character
    ].join('\n');
    const err = dictError(() => parseSynonyms(text));
    expect(err.code).toBe('DICT_MALFORMED');
    expect(err.file).toBe('synonyms.txt');
    expect(err.issues.map((i) => i.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(err.issues[0]!.message).toContain('at least two different members');
    expect(err.issues[1]!.message).toContain('not punctuation');
    expect(err.issues[2]!.message).toContain('line 2');
    expect(err.message).toContain('synonyms.txt: line 3: ');
  });

  it('counts a group whose members are all the same after normalization as one member', () => {
    expect(dictError(() => parseSynonyms('医联体 醫聯體\n')).issues).toEqual([{ line: 1, message: expect.stringContaining('two different members') }]);
  });
});

describe('checkStopWords', () => {
  it('refuses a stop word that the dictionary exists to find', () => {
    const err = dictError(() => checkStopWords('的\n# 医共体\n醫共體\n', ['医共体', '医联体']));
    expect(err.file).toBe('stop_words.utf8');
    expect(err.issues).toEqual([{ line: 3, message: expect.stringContaining('"医共体"') }]);
  });

  it('passes the project files', () => {
    const terms = [...parseUserDict(dictFile('user.dict.utf8')).map((e) => e.word), ...parseSynonyms(dictFile('synonyms.txt')).flat()];
    expect(() => checkStopWords(dictFile('stop_words.utf8'), terms)).not.toThrow();
  });
});
