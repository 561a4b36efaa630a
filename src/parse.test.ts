import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.ts';
import type { Notice } from './notice.ts';
import { parsePage, type ParseResult } from './parse.ts';

const corpus = (name: string) => readFileSync(new URL(`../data/corpus/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url));

function notices(result: ParseResult): Notice[] {
  if (!result.ok) throw new Error(`${result.source} skipped: ${result.reason} ${result.detail}`);
  return result.notices;
}

const idsAndTexts = (list: Notice[]) => list.map((n) => ({ id: n.id, passages: n.passages.map((p) => [p.id, p.text]) }));

describe('parsePage', () => {
  it('parses a GBK copy of a notice to the same passages, ids and texts, as the UTF-8 one', () => {
    const utf8 = notices(parsePage('000_5a1fc9c7415e11bf.txt', corpus('000_5a1fc9c7415e11bf.txt')));
    const gbk = parsePage('gbk/000.txt', fixture('000-gbk.txt'));
    expect(gbk).toMatchObject({ ok: true, encoding: 'GB18030' });
    expect(idsAndTexts(notices(gbk))).toEqual(idsAndTexts(utf8));
    expect(notices(gbk)[0]?.source).toBe('gbk/000.txt');
    expect(notices(gbk)[0]?.county).toBe('蓬溪县');
  });

  it('makes a Big5 traditional copy searchable as simplified: same normText, passage for passage', () => {
    const simplified = notices(parsePage('003.txt', corpus('003_5cb08a20006d1fb0.txt')));
    const traditional = notices(parsePage('003-big5.txt', fixture('003-big5.txt')));
    const [s, t] = [simplified[0], traditional[0]] as [Notice, Notice];
    expect(t.passages).toHaveLength(s.passages.length);
    t.passages.forEach((p, i) => {
      const twin = s.passages[i];
      expect(p.normText).toBe(twin?.normText);
      expect(p.headingPath.map(normalize)).toEqual(twin?.headingPath.map(normalize));
      expect(p.problem === null ? null : normalize(p.problem)).toBe(twin?.problem === null ? null : normalize(twin?.problem ?? ''));
    });
    // The stored text stays as written; a simplified search term still finds it.
    expect(t.passages.some((p) => p.text.includes('整改落實情況'))).toBe(true);
    expect(t.passages.some((p) => p.normText.includes(normalize('整改落实情况')))).toBe(true);
    expect(t).toMatchObject({ id: s.id, province: '四川省', city: '泸州市', level: '医院', inspection: '巡察', publishDate: '2025-10-17' });
  });

  it('parses the HTML page of a notice to the passages of its text copy', () => {
    const text = notices(parsePage('002.txt', corpus('002_34c8a5f831b05f15.txt')));
    for (const name of ['002.html', '002-gb2312.htm']) {
      const html = notices(parsePage(name, fixture(name)));
      expect(idsAndTexts(html), name).toEqual(idsAndTexts(text));
      expect(html[0], name).toMatchObject({ title: text[0]?.title, publishDate: '2024-10-23', province: '江西省' });
    }
  });

  it('parses Markdown and BOM-prefixed text', () => {
    const md = notices(parsePage('003.md', fixture('003.md')));
    expect(md).toHaveLength(1);
    expect(md[0]).toMatchObject({ title: '泸州市中医医院党委巡察整改进展', org: '中共泸州市中医医院委员会', city: '泸州市' });
    expect(md[0]?.passages.some((p) => p.text.includes('##'))).toBe(false);
    const bom = notices(parsePage('004-bom.txt', fixture('004-bom.txt')));
    expect(idsAndTexts(bom)).toEqual(idsAndTexts(notices(parsePage('004.txt', corpus('004_387fccef8635e036.txt')))));
  });

  it('skips what is not a notice, with the file name and a reason, and goes on', () => {
    const batch = ['empty.txt', 'blank.txt', 'image.txt', 'binary.txt', 'garbled.txt', 'notes.pdf', '003.md'].map((name) => parsePage(name, fixture(name)));
    expect(batch.map((r) => (r.ok ? 'ok' : `${r.source}: ${r.reason}`))).toEqual([
      'empty.txt: empty',
      'blank.txt: empty',
      'image.txt: binary',
      'binary.txt: binary',
      'garbled.txt: undecodable',
      'notes.pdf: unsupported-type',
      'ok',
    ]);
    for (const r of batch) if (!r.ok) expect(r.detail.length).toBeGreaterThan(5);
  });

  it('finds 12 notices in the corpus, 8 of them in 001', () => {
    const counts = ['000_5a1fc9c7415e11bf.txt', '001_e0ca4acfbf13808d.txt', '002_34c8a5f831b05f15.txt', '003_5cb08a20006d1fb0.txt', '004_387fccef8635e036.txt'].map(
      (name) => notices(parsePage(name, corpus(name))).length,
    );
    expect(counts).toEqual([1, 8, 1, 1, 1]);
  });
});
