import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDictionary, type Dictionary } from '../indexer/dict-files.ts';
import { DictError } from './dict.ts';
import { normalize } from './normalize.ts';
import { createSegmenter, isContentTerm, SegmentError, type Segmenter } from './segment.ts';

const corpusDir = fileURLToPath(new URL('../data/corpus/', import.meta.url));
/** The five real pages, one normalized paragraph per element (as passages reach this stage). */
const paragraphs = readdirSync(corpusDir)
  .flatMap((f) => readFileSync(path.join(corpusDir, f), 'utf8').split('\n'))
  .map(normalize)
  .filter((p) => p !== '');

let dict: Dictionary;
let seg: Segmenter;
beforeAll(() => {
  dict = loadDictionary();
  seg = createSegmenter({ userDictPath: dict.userDictPath, stopWords: dict.stopWords });
});

/** Token start offsets → token, for checking what sits at a given position. */
function tokenAt(tokens: string[]): Map<number, string> {
  const at = new Map<number, string>();
  let offset = 0;
  for (const t of tokens) {
    at.set(offset, t);
    offset += t.length;
  }
  return at;
}

function occurrences(text: string, term: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) out.push(i);
  return out;
}

describe('cut', () => {
  it.each([
    ['医共体', 19],
    ['一岗双责', 7],
    ['巡察整改', 38],
    ['第一议题', 6],
    ['三重一大', 9],
  ])('keeps %s whole at every one of its occurrences in the corpus', (term, expected) => {
    let found = 0;
    for (const p of paragraphs) {
      const at = tokenAt(seg.cut(p));
      for (const i of occurrences(p, term)) {
        expect(at.get(i), `${term} in …${p.slice(Math.max(0, i - 10), i + term.length + 10)}…`).toBe(term);
        found++;
      }
    }
    expect(found).toBe(expected);
  });

  it('splits around the terms as a reader would (jieba alone cuts 医共体 into 医/共/体)', () => {
    expect(seg.cut('推进紧密型县域医共体建设')).toEqual(['推进', '紧密型', '县域', '医共体', '建设']);
    expect(seg.cut('落实"三重一大"决策制度')).toEqual(['落实', '"', '三重一大', '"', '决策', '制度']);
  });

  it('keeps every synonym member whole, so keywords and suggestions can name it', () => {
    for (const member of dict.synonyms.flat()) expect(seg.cut(member), member).toEqual([member]);
  });

  it('loses nothing: the tokens of every paragraph join back to it', () => {
    for (const p of paragraphs) expect(seg.cut(p).join('')).toBe(p);
  });

  it('emits every stop word as one token (an entry jieba cuts in two could never be filtered)', () => {
    for (const w of dict.stopWords) expect(seg.cut(w), w).toEqual([w]);
  });

  it('keeps numbers whole', () => {
    expect(seg.cut('截至9月底,派驻13名执业医师')).toContain('13');
  });

  it('returns no tokens for empty text', () => {
    expect(seg.cut('')).toEqual([]);
    expect(seg.cutForSearch('')).toEqual([]);
    expect(seg.terms('')).toEqual([]);
    expect(seg.keywords('', 5)).toEqual([]);
  });
});

describe('cutForSearch', () => {
  it('adds the dictionary words inside long words and drops spaces', () => {
    const tokens = seg.cutForSearch('推进医疗卫生共同体建设 icu ward');
    expect(tokens).toContain('医疗卫生共同体');
    expect(tokens).toContain('共同体');
    expect(tokens).toContain('icu');
    expect(tokens.every((t) => t.trim() === t && t !== '')).toBe(true);
  });
});

describe('keywords', () => {
  const villageClinics = paragraphs.find((p) => p.startsWith('(9)对村卫生室监管方面'))!;

  it('finds 村卫生室 first in the passage on supervising village clinics', () => {
    expect(villageClinics).toBeDefined();
    const kw = seg.keywords(villageClinics, 8);
    expect(kw).toHaveLength(8);
    expect(kw[0]).toBe('村卫生室');
    expect(kw).toContain('乡镇卫生院');
  });

  it('never returns stop words, single characters, numbers or punctuation, on any corpus paragraph', () => {
    let checked = 0;
    for (const p of paragraphs) {
      const kw = seg.keywords(p, 30);
      const tokens = new Set(seg.cut(p));
      expect(new Set(kw).size).toBe(kw.length);
      expect(kw.length).toBeLessThanOrEqual(30);
      for (const k of kw) {
        expect(dict.stopWords.has(k), `${k} is a stop word`).toBe(false);
        expect(isContentTerm(k), k).toBe(true);
        expect(tokens.has(k), `${k} is a token of cut()`).toBe(true);
      }
      checked += kw.length;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('ranks the repeated domain term above boilerplate that merely recurs', () => {
    const text = normalize('一是开展医疗废弃物专项检查,二是开展医疗废弃物分类培训,三是开展工作督导。');
    const kw = seg.keywords(text, 3);
    expect(kw[0]).toBe('医疗废弃物');
    expect(kw).not.toContain('开展');
    expect(kw).not.toContain('一是');
  });

  it('returns nothing for topK below 1 and is deterministic', () => {
    expect(seg.keywords(villageClinics, 0)).toEqual([]);
    expect(seg.keywords(villageClinics, -3)).toEqual([]);
    expect(seg.keywords(villageClinics, 5)).toEqual(seg.keywords(villageClinics, 5));
    expect(seg.keywords(villageClinics, 3)).toEqual(seg.keywords(villageClinics, 10).slice(0, 3));
  });
});

describe('terms', () => {
  it('keeps content words in order, with repeats, without stop words, digits or punctuation', () => {
    expect(seg.terms('一是开展村卫生室排查,2024年对村卫生室进行了修缮。')).toEqual(['村卫生室', '排查', '村卫生室', '修缮']);
  });

  it('drops the page chrome around a notice', () => {
    const chrome = normalize('来源:县卫生健康局 发布时间:2025-01-15 17:16 浏览次数: 字体: [ ] 打印');
    expect(seg.terms(chrome)).toEqual(['卫生健康局']);
  });
});

describe('createSegmenter', () => {
  it('loads the dictionary once: a second segmenter with the same file shares it', () => {
    const again = createSegmenter({ userDictPath: dict.userDictPath, stopWords: new Set() });
    expect(again.cut('巡察整改落实一岗双责')).toEqual(seg.cut('巡察整改落实一岗双责'));
    // Different stop words, same jieba: 开展 is only filtered by the first one.
    expect(again.terms('开展巡察整改')).toEqual(['开展', '巡察整改']);
    expect(seg.terms('开展巡察整改')).toEqual(['巡察整改']);
  });

  it('fails early with a code when the dictionary file is missing (jieba itself would abort the process)', () => {
    const missing = path.join(tmpdir(), 'no-such-dir', 'user.dict.utf8');
    expect(() => createSegmenter({ userDictPath: missing, stopWords: new Set() })).toThrow(
      expect.objectContaining({ name: 'SegmentError', code: 'SEGMENT_DICT_MISSING' }),
    );
  });

  it('fails early with the bad line when the dictionary is malformed', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'segment-')), 'user.dict.utf8');
    writeFileSync(file, '医共体 3000 nz\n# jieba would insert this\n');
    try {
      createSegmenter({ userDictPath: file, stopWords: new Set() });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SegmentError);
      expect((err as SegmentError).code).toBe('SEGMENT_DICT_MALFORMED');
      expect((err as SegmentError).cause).toBeInstanceOf(DictError);
      expect(((err as SegmentError).cause as DictError).issues[0]!.line).toBe(2);
    }
  });

  it('refuses a second, different dictionary in the same process', () => {
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'segment-')), 'user.dict.utf8');
    copyFileSync(dict.userDictPath, copy);
    expect(() => createSegmenter({ userDictPath: copy, stopWords: new Set() })).toThrow(
      expect.objectContaining({ code: 'SEGMENT_DICT_CONFLICT' }),
    );
    // The loaded dictionary is untouched.
    expect(seg.cut('医共体')).toEqual(['医共体']);
  });
});

describe('isContentTerm', () => {
  it.each([
    ['村卫生室', true],
    ['icu', true],
    ['村', false],
    ['2024', false],
    ['20xx', false],
    ['、', false],
    ['""', false],
  ])('%s → %s', (token, expected) => {
    expect(isContentTerm(token)).toBe(expected);
  });
});
