import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashId, inspectionDates, isoDate, parseDate, passageRecords } from './enrich.ts';
import type { Notice } from './notice.ts';
import { parsePage } from './parse.ts';

function parse(name: string): Notice[] {
  const result = parsePage(name, readFileSync(new URL(`../data/corpus/${name}`, import.meta.url)));
  if (!result.ok) throw new Error(result.detail);
  return result.notices;
}

const [n000] = parse('000_5a1fc9c7415e11bf.txt') as [Notice];
const [n002] = parse('002_34c8a5f831b05f15.txt') as [Notice];
const [n003] = parse('003_5cb08a20006d1fb0.txt') as [Notice];
const [n004] = parse('004_387fccef8635e036.txt') as [Notice];
const n001 = parse('001_e0ca4acfbf13808d.txt');

describe('enrich on the corpus', () => {
  it('000: a county bureau in 四川省 遂宁市 蓬溪县, with its dates', () => {
    expect(n000).toMatchObject({
      title: '中共蓬溪县卫生健康局党组关于巡察反馈问题集中整改进展情况的通报',
      org: '中共蓬溪县卫生健康局党组',
      province: '四川省',
      city: '遂宁市',
      county: '蓬溪县',
      level: '县',
      inspection: '巡察',
      inspectionStart: '2024-03-04',
      inspectionEnd: '2024-07-21',
      feedbackDate: '2024-07-31',
      publishDate: '2025-01-15',
      source: '000_5a1fc9c7415e11bf.txt',
      meta: { 来源: '县卫生健康局' },
    });
  });

  it('002: the province, a 巡视, published on the page date', () => {
    expect(n002).toMatchObject({
      org: '中共江西省卫生健康委员会党组',
      province: '江西省',
      city: null,
      county: null,
      level: '省',
      inspection: '巡视',
      inspectionStart: '2023-10-08',
      inspectionEnd: '2023-12-13',
      feedbackDate: '2024-01-19',
      publishDate: '2024-10-23',
    });
    expect(n002.meta).toMatchObject({ 来源: '江西卫生健康委员会', 作者: '佚名' });
  });

  it('003: a hospital with no title line gets one made from its issuer and opening', () => {
    expect(n003).toMatchObject({
      title: '中共泸州市中医医院委员会关于巡察反馈问题集中整改进展情况的通报',
      org: '中共泸州市中医医院委员会',
      province: '四川省',
      city: '泸州市',
      county: null,
      level: '医院',
      inspection: '巡察',
      inspectionStart: '2024-10-10',
      inspectionEnd: '2024-11-08',
      feedbackDate: '2025-01-15',
      // No page date: the date under the signature.
      publishDate: '2025-10-17',
    });
  });

  it('004: a district; the feedback date without a year takes the year before it', () => {
    expect(n004).toMatchObject({ province: '广东省', city: '揭阳市', county: '揭东区', level: '区', inspection: '巡察', feedbackDate: '2021-07-26', publishDate: '2021-12-22' });
    // "3月中旬至5月下旬" names no days: no dates are made up.
    expect(n004.inspectionStart).toBeNull();
  });

  it('001: each report gets the place it names, and none where it names none', () => {
    const places = n001.map((n) => [n.org, n.province, n.city, n.county, n.level]);
    expect(places).toEqual([
      ['中共市卫健局委员会', '福建省', '南平市', null, '市'],
      ['临武县卫生健康局', '湖南省', '郴州市', '临武县', '县'],
      ['咸宁市卫生健康委', '湖北省', '咸宁市', null, '市'],
      ['区卫健局', null, null, null, '区'],
      ['博罗县卫生健康局', '广东省', '惠州市', '博罗县', '县'],
      ['龙川县卫生健康局', '广东省', '河源市', '龙川县', '县'],
      [null, '四川省', '阿坝藏族羌族自治州', '小金县', '县'],
      ['县卫健局', null, null, null, '县'],
    ]);
    for (const n of n001) {
      expect(n.title.length).toBeGreaterThan(4);
      expect(n.inspection).toBeNull();
      expect(n.source).toBe('001_e0ca4acfbf13808d.txt');
    }
    expect(n001[4]?.title).toBe('博罗县卫生健康局关于20xx年法治政府建设工作情况的报告');
  });
});

describe('ids', () => {
  it('are short hex hashes, the same on every run', () => {
    const again = parse('000_5a1fc9c7415e11bf.txt')[0] as Notice;
    expect(n000.id).toMatch(/^[0-9a-f]{16}$/);
    expect(again.id).toBe(n000.id);
    expect(again.passages.map((p) => p.id)).toEqual(n000.passages.map((p) => p.id));
    expect(hashId('a', 'b')).toBe(hashId('a', 'b'));
    expect(hashId('a', 'b')).not.toBe(hashId('ab'));
  });

  it('are unique within the corpus', () => {
    const all = [n000, n002, n003, n004, ...n001];
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    const passages = all.flatMap((n) => n.passages);
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    for (const n of all) for (const p of n.passages) expect(p.noticeId).toBe(n.id);
  });

  it('tell exact repeats within a notice apart by their order', () => {
    const draft = { headingPath: [], problem: null, text: '同一段文字出现了两次,内容完全一样,但它们是两个段落。', position: 0 };
    const [a, b] = passageRecords('0123456789abcdef', [draft, { ...draft, position: 1 }]);
    expect(a?.normText).toBe(b?.normText);
    expect(a?.id).not.toBe(b?.id);
  });
});

describe('dates', () => {
  it('reads the forms pages write dates in', () => {
    expect(parseDate('2025-01-15 17:16')).toBe('2025-01-15');
    expect(parseDate('2025年1月13')).toBe('2025-01-13');
    expect(parseDate('２０２４年１０月２１日')).toBe('2024-10-21');
    expect(parseDate('2024/2/30')).toBeNull();
    expect(isoDate(2024, 2, 29)).toBe('2024-02-29');
  });

  it('carries a year to a date written without one', () => {
    expect(inspectionDates('2024年3月4日至7月21日,县委巡察二组对县卫生健康局党组进行了巡察。2024年7月31日,县委巡察二组向县卫生健康局党组反馈了巡察意见。')).toEqual({
      inspectionStart: '2024-03-04',
      inspectionEnd: '2024-07-21',
      feedbackDate: '2024-07-31',
    });
    expect(inspectionDates('2023年11月6日至2024年1月5日,市委巡察组进行了巡察。1月20日,市委巡察组反馈了意见。')).toEqual({
      inspectionStart: '2023-11-06',
      inspectionEnd: '2024-01-05',
      feedbackDate: '2024-01-20',
    });
  });
});
