import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePage } from './parse.ts';
import { charLength, chineseNumber, headingText, isPureHeading, parseMarker, structure } from './structure.ts';

const corpusDir = new URL('../data/corpus/', import.meta.url);
const corpusFiles = readdirSync(corpusDir).filter((f) => f.endsWith('.txt'));
const notices = corpusFiles.flatMap((name) => {
  const result = parsePage(name, readFileSync(new URL(name, corpusDir)));
  if (!result.ok) throw new Error(`${name}: ${result.detail}`);
  return result.notices;
});
const noticeOf = (prefix: string) => {
  const found = notices.find((n) => n.source.startsWith(prefix));
  if (found === undefined) throw new Error(`no notice from ${prefix}`);
  return found;
};
const passageWith = (prefix: string, fragment: string) => {
  const found = noticeOf(prefix).passages.filter((p) => p.text.includes(fragment));
  expect(found, fragment).toHaveLength(1);
  return found[0] as (typeof found)[number];
};

describe('heading markers', () => {
  it('reads every rank in half- and full-width forms', () => {
    const cases: [string, number, number][] = [
      ['一、落实巡察整改责任情况', 1, 1],
      ['十二、其他', 1, 12],
      ['(三)聚焦基层党组织建设方面', 2, 3],
      ['（四）全面从严治党责任落实有差距', 2, 4],
      ['㈡完善监测预警机制', 2, 2],
      ['1.深入学习', 3, 1],
      ['2、深化行政审批制度改革情况', 3, 2],
      ['3．加强行政执法保障', 3, 3],
      ['5. 针对一村一卫生站项目推进不理想问题', 3, 5],
      ['(10)完善居民健康档案', 4, 10],
      ['（2）计生专项资金', 4, 2],
      ['⑶规范', 4, 3],
      ['①加强', 5, 1],
    ];
    for (const [text, rank, ordinal] of cases) expect(parseMarker(text), text).toMatchObject({ rank, ordinal });
  });

  it('does not take numbers, dates or measures for markers', () => {
    for (const text of ['2024年3月4日', '5.29协会活动日', '8.19中国医师节', '一是强化组织领导', '20xx年,在县委', '十四五规划']) {
      expect(parseMarker(text), text).toBeNull();
    }
  });

  it('counts Chinese numerals', () => {
    expect(['一', '九', '十', '十一', '二十', '二十三'].map(chineseNumber)).toEqual([1, 9, 10, 11, 20, 23]);
  });
});

describe('headings', () => {
  it('tells a heading line from a paragraph that starts with one', () => {
    expect(isPureHeading('(二)完善监测预警机制')).toBe(true);
    expect(isPureHeading('1.推进中医药特色专科建设有差距。')).toBe(true);
    expect(isPureHeading('1.规范行政执法程序。一是推行行政执法公示制度。')).toBe(false);
    expect(isPureHeading('正文不是标题')).toBe(false);
  });

  it('shortens a paragraph to the heading it starts with', () => {
    expect(headingText('(一)被巡党组织落实巡察整改主体责任情况。一是强化组织领导')).toBe('(一)被巡党组织落实巡察整改主体责任情况');
    expect(headingText('(1)第一议题制度执行方面一是严格落实党组会议“第一议题”学习制度,每次党组会第一议题均专题学习')).toBe('(1)第一议题制度执行方面');
    expect(headingText('(4)推动医共体建设方面由县委、县政府分管领导牵头,各相关部门共同组织考察团队,调研学习泸县、江安、米易等紧密型县域医共体建设标杆区(县)先进经验')).toBe(
      '(4)推动医共体建设方面',
    );
    expect(headingText('（一）坚持政治要求，加强组织领导。')).toBe('（一）坚持政治要求，加强组织领导');
    const long = headingText('(二)非法行医的问题屡禁不止,很多群众亲信游医或非法行医点,亲信非法的中医治疗广告,以至于身体、财产受到侵害');
    expect(charLength(long)).toBeLessThanOrEqual(45);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('structure', () => {
  it('cuts measures "一是…二是…" into passages under their headings', () => {
    const measures = [
      '一是成立巡察整改工作领导小组，由局长任组长，统筹推进各项整改任务。',
      '二是制定整改方案和问题清单、任务清单、责任清单，明确时限要求。',
      '三是定期召开领导小组会议，听取整改进展汇报，研究解决重点难点问题。',
    ];
    const passages = structure([{ text: '一、落实整改责任情况' }, { text: `(一)强化组织领导。${measures.join('')}` }]);
    expect(passages.map((p) => p.headingPath)).toEqual(Array(3).fill(['一、落实整改责任情况', '(一)强化组织领导']));
    // The heading clause opens the first measure's passage rather than standing alone.
    expect(passages.map((p) => p.text)).toEqual([`(一)强化组织领导。${measures[0]}`, measures[1], measures[2]]);
    expect(passages.map((p) => p.position)).toEqual([0, 1, 2]);
  });

  it('gives the measures after 整改落实情况: the problem stated before them', () => {
    const passages = structure([
      { text: '三、巡察反馈问题整改落实情况' },
      { text: '(五)采购管理不规范' },
      { text: '未严格执行采购制度。' },
      { text: '整改落实情况:一是修订采购时限管理办法,明确采购各环节的办理时限;二是将重点项目和即将到期的采购项目纳入周工作报告,加强采购进度监督。' },
      { text: '(六)财务制度执行不严' },
      { text: '整改落实情况:一是追回多支付的维修费用,规范车辆维修审批;二是进一步加强财务管理,严格执行报销审批程序,加强对各项支出的审核力度。' },
    ]);
    expect(passages.map((p) => p.problem)).toEqual(['未严格执行采购制度', '未严格执行采购制度', '财务制度执行不严', '财务制度执行不严']);
    expect(passages[0]?.text).toBe('(五)采购管理不规范\n未严格执行采购制度。\n整改落实情况:一是修订采购时限管理办法,明确采购各环节的办理时限;');
  });

  it('cuts a long item at sentence ends into pieces of at most 600 characters', () => {
    const sentence = '区卫健局组织专人对各基层医疗机构十八项医疗核心制度落实情况进行检查并抽查上半年归档病历。';
    const passages = structure([{ text: sentence.repeat(40) }]);
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) {
      expect(charLength(p.text)).toBeLessThanOrEqual(600);
      expect(charLength(p.text)).toBeGreaterThanOrEqual(30);
      expect(p.text.endsWith('。')).toBe(true);
    }
    expect(passages.map((p) => p.text).join('')).toBe(sentence.repeat(40));
  });

  it('joins tiny fragments to a neighbour', () => {
    const passages = structure([{ text: '(三)意识形态工作责任制落实不到位' }, { text: '整改落实情况:一是组织学习;二是建立制度;三是加强研判。' }]);
    expect(passages).toHaveLength(1);
    expect(passages[0]?.text).toBe('(三)意识形态工作责任制落实不到位\n整改落实情况:一是组织学习;二是建立制度;三是加强研判。');
  });
});

describe('structure on the corpus', () => {
  it('keeps every passage within 30–600 characters', () => {
    for (const notice of notices) {
      for (const p of notice.passages) {
        const n = charLength(p.text);
        expect(n, `${notice.source} #${p.position}`).toBeGreaterThanOrEqual(30);
        expect(n, `${notice.source} #${p.position}`).toBeLessThanOrEqual(600);
      }
    }
  });

  it('never lets site chrome into a passage', () => {
    const chrome = /浏览次数|ICP|免责声明|版权所有|版权归|copyright|©|您的位置|扫一扫|原文链接|字体\s*[:：]|\[\s*\]\s*打印|打印本页|发布时间[:：]|来源[:：]|备案号|640661@qq\.com/i;
    for (const notice of notices) for (const p of notice.passages) expect(p.text, `${notice.source} #${p.position}`).not.toMatch(chrome);
  });

  it('files 000 measures under their full heading path', () => {
    const p = passageWith('000', '调研学习泸县、江安、米易等紧密型县域医共体建设标杆区');
    expect(p.headingPath).toEqual([
      '二、巡察反馈问题整改落实情况',
      '(一)聚焦党中央决策部署在基层贯彻落实情况方面',
      '2.推进医疗卫生体制改革部署',
      '(4)推动医共体建设方面',
    ]);
    const measure = passageWith('000', '二是组织各级医疗机构对双向转诊开展业务培训');
    expect(measure.text.startsWith('二是')).toBe(true);
    expect(measure.headingPath.at(-1)).toBe('(3)推动分级诊疗运行方面');
  });

  it('carries 003 problems onto their measures', () => {
    expect(passageWith('003', '二是建立院内中医师承机制').problem).toBe('推进中医药特色专科建设有差距');
    expect(passageWith('003', '二是全面推进检验检查结果互认').problem).toBe('医疗质效不高');
    expect(passageWith('003', '一是追回多支付的维修费用').problem).toBe('部分车辆维修费用审核不严');
  });

  it('reads 004 "针对…问题" headings as the problem their paragraph answers', () => {
    const p = passageWith('004', '区慢病中心已按程序补选支部委员');
    expect(p.problem).toBe('部分医院党建工作不扎实，党务不熟悉问题');
    expect(p.text.startsWith('19.针对部分医院党建工作不扎实')).toBe(true);
  });

  it('rejoins 004 lines that the PDF layout wrapped', () => {
    passageWith('004', '局党组组织召开专题民主生活会，班子成员认真开展批评与自我批评');
    passageWith('004', '切实加强对基层医疗单位领导班子的监督约束，要求各下属医疗单位开展对民主集中制');
  });
});
