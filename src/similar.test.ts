import { describe, expect, it } from 'vitest';
import { bigramKeys, blend, bm25, collapseDuplicates, queryWords, zScores } from './similar.ts';

describe('bm25', () => {
  const texts = ['清退违规发放的补贴', '规范补贴发放制度,清退违规补贴,清退到位', '加强村卫生室建设'];

  it('scores texts by the query words they contain, rare words weighing more', () => {
    // 清退 is held by 2 of 100 passages, 补贴 by 40: the text with both beats the text with neither.
    const s = bm25(texts, ['清退', '补贴'], [2, 40], 100);
    expect(s[2]).toBe(0);
    expect(s[0]).toBeGreaterThan(0);
    const rareOnly = bm25(['清退'], ['清退'], [2], 100)[0]!;
    const commonOnly = bm25(['补贴'], ['补贴'], [40], 100)[0]!;
    expect(rareOnly).toBeGreaterThan(commonOnly);
  });

  it('counts repeated words, with saturation', () => {
    const [once, thrice] = bm25(['清退', '清退清退清退'], ['清退'], [2], 100, 1.2, 0);
    expect(thrice).toBeGreaterThan(once!);
    expect(thrice).toBeLessThan(3 * once!);
  });

  it('ignores words no passage holds', () => {
    expect(bm25(texts, ['不存在的词'], [0], 100)).toEqual([0, 0, 0]);
  });
});

describe('blend', () => {
  it('puts scores on one scale before weighing them', () => {
    const cosines = [0.9, 0.8, 0.7];
    const lexical = [0, 30, 10];
    const s = blend([cosines, lexical], [0.5, 0.5]);
    // The middle one is good on both; the first only on meaning.
    expect(s[1]).toBeGreaterThan(s[0]!);
    expect(blend([cosines, lexical], [1, 0])).toEqual(zScores(cosines));
  });

  it('z-scores against the leading values', () => {
    const z = zScores([10, 9, 1, 1, 1], 2);
    expect(z[0]).toBeCloseTo(1);
    expect(z[1]).toBeCloseTo(-1);
    expect(zScores([5, 5, 5])).toEqual([0, 0, 0]);
  });
});

describe('collapseDuplicates', () => {
  const a = '由县医疗质量控制中心牵头,县人民医院、县中医医院配合,对各基层医疗机构开展医疗质量控制检查,对基层医疗机构药事委员会履职不到位、绩效考核不逗硬、不合理用药、不合理检查等问题进行监督整改,并对整改情况开展“回头看”。';
  it('keeps the first of a measure published twice and lists the copy', () => {
    const out = collapseDuplicates(
      [
        { id: 'x', normText: '三是截至9月底,' + a },
        { id: 'y', normText: '加强村卫生室建设' },
        { id: 'z', normText: '(28)加强监管。一是' + a },
      ],
      0.8,
    );
    expect(out).toEqual([{ id: 'x', duplicates: ['z'] }, { id: 'y', duplicates: [] }]);
  });

  it('drops copies of the query passage', () => {
    expect(collapseDuplicates([{ id: 'x', normText: a }, { id: 'y', normText: '加强村卫生室建设' }], 0.8, '(5)' + a)).toEqual([{ id: 'y', duplicates: [] }]);
  });

  it('with `keep`, answers the first groups exactly as without it', () => {
    // Variants of a few measures (copies with a prefix, a changed clause), shuffled.
    const bases = [a, '加强村卫生室建设,消除行政村卫生室空白点,实现村卫生室全覆盖。', '建立医保基金监管长效机制,开展医保基金使用专项检查,追回违规资金。', '规范药品采购流程,严格执行药品集中带量采购政策,杜绝违规采购行为。'];
    const ranked = Array.from({ length: 40 }, (_, i) => {
      const base = bases[(i * 7) % bases.length]!;
      const text = i % 3 === 0 ? `(${i})${base}` : i % 3 === 1 ? base.replace(/。$/, `,第${i}批。`) : `${base.slice(0, 10 + i)}另起${i}`;
      return { id: `p${i}`, normText: text };
    });
    const all = collapseDuplicates(ranked, 0.8);
    expect(all.length).toBeGreaterThan(3);
    expect(all.some((g) => g.duplicates.length > 0)).toBe(true);
    for (const k of [1, 2, 3, 5]) expect(collapseDuplicates(ranked, 0.8, undefined, k)).toEqual(all.slice(0, k));
    expect(collapseDuplicates(ranked, 0.8, bases[1], 2)).toEqual(collapseDuplicates(ranked, 0.8, bases[1]).slice(0, 2));
  });

  it('keeps measures that merely share a phrase', () => {
    const out = collapseDuplicates([{ id: 'x', normText: '加强村卫生室建设,实现全覆盖' }, { id: 'y', normText: '加强村卫生室药品管理,杜绝过期药品' }], 0.8);
    expect(out.map((o) => o.id)).toEqual(['x', 'y']);
  });
});

describe('queryWords', () => {
  it('distinct words in order of first occurrence, capped', () => {
    expect(queryWords(['村卫生室', '建设', '村卫生室', '空白点'], 2)).toEqual(['村卫生室', '建设']);
  });
});

describe('bigramKeys', () => {
  /** The definition: distinct pairs of neighbouring code points once whitespace is gone, sorted. */
  function reference(text: string): number[] {
    const chars = Array.from(text.replace(/\s+/g, ''), (c) => c.codePointAt(0)!);
    if (chars.length === 1) return [chars[0]!];
    const keys = new Set<number>();
    for (let i = 0; i + 1 < chars.length; i++) keys.add(chars[i]! * 0x110000 + chars[i + 1]!);
    return [...keys].sort((a, b) => a - b);
  }

  it('equals the definition on Chinese, whitespace of every kind, surrogate pairs, repeats and edge lengths', () => {
    const texts = [
      '', '村', ' 村 ', '村卫', '加强村卫生室建设,消除行政村卫生室空白点', '卫生 卫生\t卫生\n卫生\u3000卫生\u00a0卫\u2028生',
      '𠀀𠀁村𠀀𠀁', 'a\ud800b', '\udc00村', 'abcabcabc', '  \t\n ', '（一）2023年12月31日前完成整改。',
    ];
    for (const t of texts) expect([...bigramKeys(t)], JSON.stringify(t)).toEqual(reference(t));
  });
});
