import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
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

// Pages of other sites, in our own words, laid out as those sites lay them out.
const page = (name: string, text: string, url?: string): Notice[] => {
  const result = parsePage(name, new TextEncoder().encode(text), url === undefined ? {} : { url });
  if (!result.ok) throw new Error(result.detail);
  return result.notices;
};
const region = (n: Notice | undefined) => [n?.province, n?.city, n?.county, n?.level];

const MEASURES = `一、整改工作的组织推进
班子把巡察整改作为一项政治任务，成立整改工作专班，逐条制定措施，明确责任人和完成时限。
二、反馈问题的整改落实
（一）关于基金监管存在薄弱环节的问题
整改情况：一是开展定点机构全覆盖检查；二是建立违规线索移交机制；三是每季度通报一次检查结果。
（二）关于干部队伍建设不够有力的问题
整改情况：组织业务轮训三期，选派两名年轻干部到基层一线锻炼。`;

describe('enrich on pages of other sites', () => {
  it('an autonomous county: the org and its whole region from the title', () => {
    const [n] = page('cangyuan.txt', `沧源佤族自治县医疗保障局党组关于第十四届县委机动巡察整改进展情况的通报
根据县委统一部署，2025年3月10日至4月18日，县委机动巡察组对县医疗保障局党组进行了巡察。2025年5月20日，县委机动巡察组反馈了巡察意见。现将巡察整改进展情况予以公布。
${MEASURES}`);
    expect(n?.org).toBe('沧源佤族自治县医疗保障局党组');
    expect(region(n)).toEqual(['云南省', '临沧市', '沧源佤族自治县', '县']);
    expect([n?.inspection, n?.inspectionStart, n?.inspectionEnd, n?.feedbackDate]).toEqual(['巡察', '2025-03-10', '2025-04-18', '2025-05-20']);
  });

  it('a banner, named in full in the title and short (阿右旗) in the text', () => {
    const [n] = page('alsyq.txt', `中共阿拉善右旗卫生健康委员会党组关于旗委巡察反馈意见整改进展情况的通报
根据旗委统一部署，2025年3月3日至4月28日，旗委第二巡察组对旗卫健委开展常规巡察。6月2日，旗委第二巡察组向阿右旗卫健委党组反馈了巡察意见。现将整改进展情况予以公布。
${MEASURES}`);
    expect(n?.org).toBe('中共阿拉善右旗卫生健康委员会党组');
    expect(region(n)).toEqual(['内蒙古自治区', '阿拉善盟', '阿拉善右旗', '县']);
  });

  it('a joint notice keeps both orgs and takes the region of the first; 西区 is settled by its city', () => {
    const [n] = page('xiqu.txt', `中共攀枝花市西区卫生健康局党组 中共攀枝花市西区红十字会党组关于区委巡察反馈意见集中整改进展情况的通报
区委第三巡察组于2025年3月24日至5月6日对区卫生健康局党组、区红十字会党组进行了巡察，并于7月16日反馈了巡察意见。现将集中整改进展情况通报如下：
${MEASURES}`);
    expect(n?.org).toBe('中共攀枝花市西区卫生健康局党组、中共攀枝花市西区红十字会党组');
    expect(region(n)).toEqual(['四川省', '攀枝花市', '西区', '区']);
  });

  it('西区 alone is settled by the site; without one it stays open', () => {
    const text = `西区卫生健康局党组关于巡察整改进展情况的通报
区委第一巡察组对区卫生健康局党组进行了巡察。现将整改进展情况通报如下：
${MEASURES}`;
    expect(region(page('xq.txt', text, 'http://www.pzhsxq.gov.cn/zwgk/gsgg/1.shtml')[0])).toEqual(['四川省', '攀枝花市', '西区', '区']);
    expect(region(page('xq.txt', text)[0]).slice(0, 3)).toEqual([null, null, null]);
  });

  it('市卫健委 with the city from the site, and from the page when the site says none', () => {
    const text = `市卫健委党委关于巡察整改进展情况的通报
根据市委统一部署，2024年7月17日至8月30日，市委第六巡察组对市卫健委党委进行了巡察。9月14日，巡察组向市卫健委党委反馈了巡察意见。现将巡察整改进展情况予以公布。
${MEASURES}`;
    const [bySite] = page('sw.txt', text, 'http://wjw.zhuzhou.gov.cn/c1/2025/art_1.html');
    expect(bySite?.org).toBe('市卫健委党委');
    expect(region(bySite)).toEqual(['湖南省', '株洲市', null, '市']);
    expect(bySite?.sourceUrl).toBe('http://wjw.zhuzhou.gov.cn/c1/2025/art_1.html');
    // The text names the city's counties only; the issuer is the city's.
    const [byPage] = page('sw2.txt', text.replace('9月14日', '沭阳县、泗阳县、泗洪县卫健部门参加了反馈会。9月14日'));
    expect(region(byPage)).toEqual(['江苏省', '宿迁市', null, '市']);
  });

  it('the text wins over the site when they disagree', () => {
    const [n] = page('zz.txt', `中共株洲市卫生健康委员会党组关于巡察整改进展情况的通报
市委巡察组对市卫生健康委员会党组进行了巡察。现将整改进展情况予以公布。
${MEASURES}`, 'http://wsj.yancheng.gov.cn/art/2024/1.html');
    expect(region(n)).toEqual(['湖南省', '株洲市', null, '市']);
  });

  it('a title without an org: the full name from a quoted document title, the place from it', () => {
    const [n] = page('cdc.txt', `关于整改进展情况的通报
按照市委的统一安排，2024年4月8日至6月12日，市委第二巡察组对中心党委进行了巡察。7月5日，巡察组向中心党委反馈了巡察意见。现将整改进展情况予以公布。
一、整改的组织推进
中心党委把整改作为重要政治任务，研究制定《中共盐城市疾病预防控制中心委员会关于市委巡察反馈意见的整改方案》，逐项明确责任分工。
二、问题整改情况
（一）关于传染病监测预警能力不足的问题
整改情况：升级监测信息系统，完成哨点医院数据直报对接。`);
    expect(n?.org).toBe('中共盐城市疾病预防控制中心委员会');
    expect(region(n)).toEqual(['江苏省', '盐城市', null, '市']);
    expect(n?.inspection).toBe('巡察');
  });

  it('a signature block: the org line, and the date line as the publish date', () => {
    const [n] = page('sig.txt', `关于巡察整改进展情况的通报
根据县委部署，县委第三巡察组对我局进行了巡察。现将整改进展情况予以公布。
${MEASURES}
博兴县中医医院党委
2025年5月12日`);
    expect(n?.org).toBe('博兴县中医医院党委');
    expect(region(n)).toEqual(['山东省', '滨州市', '博兴县', '医院']);
    expect(n?.publishDate).toBe('2025-05-12');
    expect(n?.passages.some((p) => p.text.includes('2025年5月12日') || p.text === '博兴县中医医院党委')).toBe(false);
  });

  it('a signature dated in Chinese numerals; a joint notice signed by both', () => {
    const [n] = page('joint.txt', `关于巡察反馈问题整改进展情况的通报
区委第一巡察组对区卫生健康局党组、区计划生育协会党组进行了巡察。现将整改进展情况通报如下：
${MEASURES}
中共揭阳市揭东区卫生健康局党组
中共揭阳市揭东区计划生育协会党组
二〇二五年十二月五日`);
    expect(n?.org).toBe('中共揭阳市揭东区卫生健康局党组、中共揭阳市揭东区计划生育协会党组');
    expect(region(n)).toEqual(['广东省', '揭阳市', '揭东区', '区']);
    expect(n?.publishDate).toBe('2025-12-05');
  });

  it('the page date wins over the signature date', () => {
    const [n] = page('dated.txt', `中共沧源佤族自治县卫生健康局党组关于巡察整改进展情况的通报
发布时间：2025-07-01 09:30　来源：县卫生健康局
县委巡察组对县卫生健康局党组进行了巡察。现将整改进展情况予以公布。
${MEASURES}
中共沧源佤族自治县卫生健康局党组
2025年6月20日`);
    expect(n?.publishDate).toBe('2025-07-01');
  });
});

describe('source URL', () => {
  const text = `中共株洲市卫生健康委员会党组关于巡察整改进展情况的通报
市委巡察组对市卫生健康委员会党组进行了巡察。现将整改进展情况予以公布。
${MEASURES}`;

  it('comes from a URL: first line, which is no part of the text', () => {
    const [n] = page('u.txt', `URL: https://wjw.zhuzhou.gov.cn/c1/2025/art_9.html\n${text}`);
    expect(n?.sourceUrl).toBe('https://wjw.zhuzhou.gov.cn/c1/2025/art_9.html');
    expect(n?.title).toBe('中共株洲市卫生健康委员会党组关于巡察整改进展情况的通报');
    expect(n?.passages.some((p) => p.text.includes('URL'))).toBe(false);
    // The id is the text's: the same notice with or without the line is one notice.
    expect(n?.id).toBe(page('v.txt', `\n${text}`)[0]?.id);
  });

  it('given with the file, it wins over the first line; a reprint’s 原文链接 is not the page’s URL', () => {
    const [given] = page('u.txt', `URL: https://a.example.cn/1.html\n${text}`, 'https://wjw.zhuzhou.gov.cn/2.html');
    expect(given?.sourceUrl).toBe('https://wjw.zhuzhou.gov.cn/2.html');
    const [linked] = page('l.txt', `${text}\n原文链接：https://wjw.zhuzhou.gov.cn/3.html`);
    expect(linked?.sourceUrl).toBeNull();
    expect(page('n.txt', text)[0]?.sourceUrl).toBeNull();
  });

  it('a reprint’s 原文链接 still names the place, where the text names none', () => {
    const bare = text.replace('中共株洲市卫生健康委员会党组', '市卫健委党组').replace('市卫生健康委员会党组', '市卫健委党组');
    const [n] = page('r.txt', `${bare}\n原文链接：http://wjw.zhuzhou.gov.cn/c1/3.html`);
    expect(region(n)).toEqual(['湖南省', '株洲市', null, '市']);
  });

  it('comes from a saved HTML page’s head when nothing else gives one', () => {
    const html = `<html><head><link rel="canonical" href="http://wjw.zhuzhou.gov.cn/c1/5.html"><title>t</title></head><body>${text.split('\n').map((l) => `<p>${l}</p>`).join('')}</body></html>`;
    const [n] = page('saved.html', html);
    expect(n?.sourceUrl).toBe('http://wjw.zhuzhou.gov.cn/c1/5.html');
    expect(page('saved.html', html, 'https://wjw.zhuzhou.gov.cn/given.html')[0]?.sourceUrl).toBe('https://wjw.zhuzhou.gov.cn/given.html');
  });

  it('is read from a GBK file too (the line is ASCII)', () => {
    const bytes = iconv.encode(`URL: http://wsj.yancheng.gov.cn/art/1.html\r\n${text}`, 'gb18030');
    const result = parsePage('g.txt', bytes);
    expect(result.ok && result.notices[0]?.sourceUrl).toBe('http://wsj.yancheng.gov.cn/art/1.html');
    expect(result.ok && result.encoding).toBe('GB18030');
  });
});

describe('a generic district name', () => {
  it('市中区 is a district, not a bare 市, once the site settles which one', () => {
    const [n] = page('sz.txt', `市中区卫生健康局党组关于区委巡察反馈意见整改进展情况的通报
区委第二巡察组对区卫生健康局党组进行了巡察。现将整改进展情况予以公布。
${MEASURES}`, 'http://www.jnszq.gov.cn/art/2025/7/3/art_1.html');
    expect(region(n)).toEqual(['山东省', '济南市', '市中区', '区']);
  });
});
