import { describe, expect, it } from 'vitest';
import { parseQuery, matchesQuery, isPlain, QueryError } from './query.ts';
import { createSynonymIndex } from './synonyms.ts';
import { charCode, termPhrase, encodeText, phraseIsExact } from './grams.ts';

const synonyms = createSynonymIndex([['医共体', '医疗卫生共同体', '医疗共同体']]);

describe('grams', () => {
  it('gives every character a five-letter code starting with a, b or c', () => {
    for (const ch of ['医', 'a', '1', ' ', '，', '\u{10FFFF}', '𠀀']) expect(charCode(ch)).toMatch(/^[a-c][a-z]{4}$/);
    expect(charCode('医')).not.toBe(charCode('醫'));
  });
  it('writes a text as one bigram word per character, the last paired with an end mark', () => {
    const words = encodeText('医共体').split(' ');
    expect(words).toHaveLength(3);
    expect(words[0]).toBe(charCode('医') + charCode('共'));
    expect(words[2]!.startsWith(charCode('体'))).toBe(true);
  });
  it('makes a term the phrase of its bigrams', () => {
    expect(termPhrase('医共体')).toBe(`"${charCode('医')}${charCode('共')} ${charCode('共')}${charCode('体')}"`);
    expect(phraseIsExact('一岗双责')).toBe(true);
    expect(phraseIsExact('医疗废弃物')).toBe(false);
  });
});

describe('parseQuery', () => {
  it('splits on spaces, keeps quoted phrases whole and normalizes each term, in the order typed', () => {
    const q = parseQuery('醫共體  "村卫生室 建设" ICU', synonyms);
    expect(q.terms.map((t) => t.text)).toEqual(['医共体', '村卫生室建设', 'icu']);
  });
  it('turns a synonym group member into the group word, whatever member is typed', () => {
    const a = parseQuery('医疗共同体', synonyms);
    const b = parseQuery('医共体', synonyms);
    expect(a.engineQuery).toBe(b.engineQuery);
    expect(a.terms[0]!.forms).toEqual(['医共体', '医疗卫生共同体', '医疗共同体']);
  });
  it('puts a single character last, as a prefix', () => {
    const q = parseQuery('医 村卫生室', synonyms);
    expect(q.engineQuery.endsWith(charCode('医'))).toBe(true);
  });
  it('rejects two single characters, too many terms and over-long queries with codes', () => {
    expect(() => parseQuery('医 院', synonyms)).toThrowError(QueryError);
    expect(() => parseQuery(Array.from({ length: 11 }, (_, i) => `词${i}a`).join(' '), synonyms)).toThrow(/at most 10 terms/);
    expect(() => parseQuery('x'.repeat(201), synonyms)).toThrow(/at most 200/);
  });
  it('asks for a text check only when a term is longer than the engine matches exactly', () => {
    expect(parseQuery('一岗双责 医共体', synonyms).needsCheck).toBe(false);
    expect(parseQuery('医疗废弃物', synonyms).needsCheck).toBe(true);
  });
  it('an empty query browses', () => {
    expect(parseQuery('  ', synonyms)).toEqual({ terms: [], anyOf: [], excluded: [], engineQuery: '', needsCheck: false, marks: [] });
  });
  it('matchesQuery is the definition of a correct hit', () => {
    const q = parseQuery('医共体 人才', synonyms);
    expect(matchesQuery('推进县域医疗卫生共同体建设,引进人才', q)).toBe(true);
    expect(matchesQuery('推进县域医疗卫生共同体建设', q)).toBe(false);
  });
});

describe('query syntax: - and |', () => {
  const texts = (ts: Array<{ text: string }>) => ts.map((t) => t.text);

  it('-term excludes; the engine query asks only for the required terms', () => {
    const q = parseQuery('医共体 -紧密型', synonyms);
    expect(texts(q.excluded)).toEqual(['紧密型']);
    expect(q.engineQuery).toBe(parseQuery('医共体', synonyms).engineQuery);
    expect(isPlain(q)).toBe(false);
    expect(matchesQuery('推进紧密型县域医共体', q)).toBe(false);
    expect(matchesQuery('推进县域医共体', q)).toBe(true);
  });

  it('an excluded synonym excludes every member of its group', () => {
    const q = parseQuery('改革 -医疗共同体', synonyms);
    expect(matchesQuery('医共体改革', q)).toBe(false);
  });

  it('| binds tighter than the space: a b | c is a AND (b OR c)', () => {
    const q = parseQuery('医共体 人才 | 编制', synonyms);
    expect(texts(q.terms)).toEqual(['医共体']);
    expect(q.anyOf.map(texts)).toEqual([['人才', '编制']]);
    expect(matchesQuery('医共体编制', q)).toBe(true);
    expect(matchesQuery('医共体人才', q)).toBe(true);
    expect(matchesQuery('人才编制', q)).toBe(false);
  });

  it('| needs no spaces, full-width ｜ and － work, and a - inside a word is text', () => {
    expect(parseQuery('医共体|医联体', synonyms).anyOf.map(texts)).toEqual([['医共体', '医联体']]);
    expect(parseQuery('医共体 ｜ 医联体', synonyms).anyOf.map(texts)).toEqual([['医共体', '医联体']]);
    expect(texts(parseQuery('医共体 －紧密型', synonyms).excluded)).toEqual(['紧密型']);
    const q = parseQuery('covid-19', synonyms);
    expect(texts(q.terms)).toEqual(['covid-19']);
    expect(q.excluded).toEqual([]);
  });

  it('quotes stay phrases on either side of | and after -', () => {
    const q = parseQuery('"村卫生室 建设" | "乡镇 卫生院" -"紧密 型"', synonyms);
    expect(q.anyOf.map(texts)).toEqual([['村卫生室建设', '乡镇卫生院']]);
    expect(texts(q.excluded)).toEqual(['紧密型']);
    expect(q.marks).toEqual(['村卫生室建设', '乡镇卫生院']);
  });

  it('alternatives that are one synonym group are one term; a group with a required member adds nothing', () => {
    const q = parseQuery('医共体 | 医疗共同体', synonyms);
    expect(q.anyOf).toEqual([]);
    expect(texts(q.terms)).toEqual(['医共体']);
    const r = parseQuery('人才 人才 | 编制', synonyms);
    expect(r.anyOf).toEqual([]);
    expect(isPlain(r)).toBe(true);
  });

  it('marks the required terms and every alternative, never an excluded term', () => {
    const q = parseQuery('整改 台账 | 清单 -问责', synonyms);
    expect(q.marks).toEqual(['整改', '台账', '清单']);
  });

  it.each([
    ['| 医共体', /"\|" at character 1 needs a term on each side/],
    ['医共体 |', /"\|" at character 5 needs a term on each side/],
    ['医共体 || 医联体', /needs a term on each side/],
    ['医共体 -', /"-" at character 5 must be followed directly by the term/],
    ['医共体 - 紧密型', /"-" at character 5 must be followed directly/],
    ['医共体 | -紧密型', /joins an excluded term/],
    ['-紧密型 | 医共体', /joins an excluded term/],
    ['-紧密型', /at least one term to search for/],
    ['"巡察整改', /the quote at character 1 is not closed/],
    ['医共体 | ""', /alternative at character 7 is empty/],
  ])('%s is a syntax error that says what is wrong', (q, message) => {
    let err: unknown;
    try {
      parseQuery(q, synonyms);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).code).toBe('QUERY_SYNTAX');
    expect((err as QueryError).message).toMatch(/^q: /);
    expect((err as QueryError).message).toMatch(message);
  });

  it('counts alternatives and exclusions against the limits', () => {
    const many = ['甲乙', '丙丁', '戊己', '庚辛', '壬癸', '子丑'];
    expect(() => parseQuery(`${many.join(' | ')} -${many.slice(0, 5).map((m) => m + 'x').join(' -')}`, synonyms)).toThrow(/at most 10 terms \(got 11\)/);
    expect(() => parseQuery('医 | 院', synonyms)).toThrow(/single-character/);
  });
});
