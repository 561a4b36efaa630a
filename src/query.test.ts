import { describe, expect, it } from 'vitest';
import { parseQuery, matchesAll, QueryError } from './query.ts';
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
  it('splits on spaces, keeps quoted phrases whole and normalizes each term', () => {
    const q = parseQuery('醫共體  "村卫生室 建设" ICU', synonyms);
    expect(q.terms.map((t) => t.text)).toEqual(['村卫生室建设', '医共体', 'icu']);
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
    expect(parseQuery('  ', synonyms)).toEqual({ terms: [], engineQuery: '', needsCheck: false });
  });
  it('matchesAll is the definition of a correct hit', () => {
    const q = parseQuery('医共体 人才', synonyms);
    expect(matchesAll('推进县域医疗卫生共同体建设,引进人才', q.terms)).toBe(true);
    expect(matchesAll('推进县域医疗卫生共同体建设', q.terms)).toBe(false);
  });
});
