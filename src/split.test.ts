import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingest, type SourceDoc } from './ingest/index.ts';
import { isDateLine, isSalutation, isSignature, isTitleLine, paragraphs, split } from './split.ts';

function doc(name: string, text?: string): SourceDoc {
  const bytes = text === undefined ? readFileSync(new URL(`../data/corpus/${name}`, import.meta.url)) : new TextEncoder().encode(text);
  const result = ingest(name, bytes);
  if (!result.ok) throw new Error(result.skipped.detail);
  return result.doc;
}

/** "001-A 1-9 (…), 001-B 10-62 (…), …": how a careful reader split file 001. */
function readerSplit(): { label: string; from: number; to: number }[] {
  const similar = JSON.parse(readFileSync(new URL('../test/data/similar.public.json', import.meta.url), 'utf8')) as { meta: { report: string } };
  return [...similar.meta.report.matchAll(/(001-[A-Z]) (\d+)-(\d+)/g)].map((m) => ({ label: m[1] as string, from: Number(m[2]), to: Number(m[3]) }));
}

describe('line roles', () => {
  it('knows titles, salutations, signatures and date lines', () => {
    expect(isTitleLine('中共蓬溪县卫生健康局党组关于巡察反馈问题集中整改进展情况的通报')).toBe(true);
    expect(isTitleLine('中共揭阳市揭东区卫生健康局党组 关于巡察整改阶段性进展情况的通报')).toBe(true);
    expect(isTitleLine('一、关于整改情况的报告')).toBe(false);
    expect(isSalutation('中共县委:')).toBe(true);
    expect(isSalutation('各乡镇卫生院：')).toBe(true);
    expect(isSalutation('整改落实情况:')).toBe(false);
    expect(isSignature('中共市卫健局委员会')).toBe(true);
    expect(isSignature('中共泸州市中医医院委员会')).toBe(true);
    expect(isSignature('(二)完善监测预警机制')).toBe(false);
    expect(['2025年1月13', '2024年10月21日', '二〇二四年十月二十一日', '2024-10-21'].every(isDateLine)).toBe(true);
    expect(isDateLine('2024年10月21日召开会议')).toBe(false);
  });
});

describe('paragraphs', () => {
  it('rejoins lines a PDF layout wrapped, across blank lines too', () => {
    const paras = paragraphs(doc('004_387fccef8635e036.txt').lines);
    const texts = paras.map((p) => p.text);
    const meeting = paras.find((p) => p.text.includes('专题民主生活会，班子成员认真开展批评与自我批评'));
    expect(meeting).toMatchObject({ from: 15, to: 17 });
    expect(texts).toContain(
      '18.针对民主集中制落实不到位，重大事项决策不规范问题。切实加强对基层医疗单位领导班子的监督约束，要求各下属医疗单位开展对民主集中制和“三重一大”决策制度贯彻落实情况的自查自纠，区卫健局组织开展相关督查指导，全面规范各单位认真落实民主集中制和“三重一大”决策制度，严格议事规则和决策程序，充分发挥集体领导的核心作用，进一步促进“三重一大”制度在卫健系统的贯彻落实，保证决策的民主化、科学化。',
    );
    expect(texts.some((t) => t.includes('玉湖镇卫生院住院综合楼已进入验收阶段；区中医医院的装修配套和设备将于 2021年底前竣工交付使用。'))).toBe(true);
  });

  it('leaves headings on their own lines', () => {
    const texts004 = paragraphs(doc('004_387fccef8635e036.txt').lines).map((p) => p.text);
    expect(texts004).toContain('三、下一步工作计划');
    expect(texts004).toContain('一、党组及主要负责人坚持政治挂帅，全力组织推动整改工作逐项落实');
    const texts003 = paragraphs(doc('003_5cb08a20006d1fb0.txt').lines).map((p) => p.text);
    expect(texts003).toContain('(五)采购管理不规范');
    expect(texts003).toContain('二、党委主要负责人落实巡察整改第一责任人职责情况');
  });
});

describe('split', () => {
  it('finds the reports 001 holds where a careful reader found them', () => {
    const expected = readerSplit();
    expect(expected).toHaveLength(8);
    const drafts = split(doc('001_e0ca4acfbf13808d.txt'));
    expect(drafts.map((d) => d.from)).toEqual(expected.map((e) => e.from));
    drafts.forEach((draft, i) => {
      const reader = expected[i] as { from: number; to: number };
      // The reader's last range runs to the end of the file, over the site footer we drop.
      expect(draft.to).toBeLessThanOrEqual(reader.to);
      expect(draft.to).toBeGreaterThanOrEqual(reader.to - 3);
    });
  });

  it('keeps what closes and opens each 001 report', () => {
    const drafts = split(doc('001_e0ca4acfbf13808d.txt'));
    expect(drafts[0]?.signature).toBe('中共市卫健局委员会');
    expect(drafts[7]?.salutation).toBe('中共县委');
    expect(drafts[7]?.paragraphs[0]?.text.startsWith('今年上半年县卫健局意识形态工作')).toBe(true);
  });

  it('finds one notice, with title and signature, in each of the other files', () => {
    const cases: [string, string, string, string][] = [
      ['000_5a1fc9c7415e11bf.txt', '中共蓬溪县卫生健康局党组关于巡察反馈问题集中整改进展情况的通报', '中共蓬溪县卫生健康局党组', '2025年1月13'],
      ['002_34c8a5f831b05f15.txt', '中共江西省卫生健康委员会党组关于十五届省委第四轮巡视整改进展情况的通报', '中共江西省卫生健康委员会党组', '2024年10月21日'],
      ['004_387fccef8635e036.txt', '中共揭阳市揭东区卫生健康局党组 关于巡察整改阶段性进展情况的通报', '中共揭阳市揭东区卫生健康局党组', '2021年12月22日'],
    ];
    for (const [name, title, signature, date] of cases) {
      const drafts = split(doc(name));
      expect(drafts, name).toHaveLength(1);
      expect(drafts[0]).toMatchObject({ title, signature, signedDate: date });
    }
    const d003 = split(doc('003_5cb08a20006d1fb0.txt'));
    expect(d003).toHaveLength(1);
    expect(d003[0]).toMatchObject({ title: null, signature: '中共泸州市中医医院委员会', signedDate: '2025年10月17日' });
    // 004's letterhead line above the title is not part of the notice's text.
    expect(split(doc('004_387fccef8635e036.txt'))[0]?.header).toEqual(['揭阳市揭东区卫生健康局']);
  });

  it('starts a new notice at a title line and at a heading sequence that restarts at 一、', () => {
    const text = [
      '甲县卫生健康局关于巡察整改进展情况的通报',
      '根据县委统一部署,县委巡察组对甲县卫生健康局党组进行了巡察。',
      '一、整改责任落实情况',
      '局党组成立整改领导小组,统筹推进各项整改任务。',
      '二、整改措施落实情况',
      '局党组逐项制定整改措施,明确责任领导和时限。',
      '乙县卫生健康局关于巡察整改进展情况的通报',
      '按照县委部署,现将巡察整改进展情况予以公布。',
      '一、整改责任落实情况',
      '局党组召开专题会议研究部署整改工作。',
      '二、整改措施落实情况',
      '局党组建立问题清单、任务清单和责任清单。',
      '根据区委统一部署,区委巡察组对丙区卫生健康局党组进行了巡察。',
      '一、整改责任落实情况',
      '局党组书记切实履行第一责任人职责,推动整改落实。',
    ].join('\n');
    const drafts = split(doc('many.txt', text));
    expect(drafts.map((d) => [d.from, d.to])).toEqual([
      [1, 6],
      [7, 12],
      [13, 15],
    ]);
    expect(drafts.map((d) => d.title)).toEqual(['甲县卫生健康局关于巡察整改进展情况的通报', '乙县卫生健康局关于巡察整改进展情况的通报', null]);
  });
});

describe('a page never yields a notice made of chrome', () => {
  const TEXT = [
    '根据县委统一部署，县委巡察组对甲县卫生健康局党组进行了巡察，现将整改进展情况予以公布。',
    '一、整改责任落实情况',
    '局党组成立整改领导小组，统筹推进各项整改任务，逐项明确责任领导和完成时限。',
  ];
  const TITLE = '中共甲县卫生健康局党组关于巡察整改进展情况的通报';
  const texts = (drafts: ReturnType<typeof split>) => drafts.map((d) => [d.title, ...d.paragraphs.map((p) => p.text)]);

  it('keeps short lines above the first title as its letterhead, colon or not', () => {
    const drafts = split(doc('a.txt', ['要闻动态Navigation', '字体大小:', '"清廉甲县"', TITLE, ...TEXT].join('\n')));
    expect(texts(drafts)).toEqual([[TITLE, ...TEXT]]);
  });

  it('drops what is left of the site between the title and the text, and after the last sentence', () => {
    const drafts = split(doc('b.txt', [TITLE, '党建工作', '信息发布', ...TEXT, '推荐', '衡东卫健', '轻触阅读原文'].join('\n')));
    expect(texts(drafts)).toEqual([[TITLE, ...TEXT]]);
  });

  it('takes the date under the title, in parentheses or not, for the page date', () => {
    expect(split(doc('c.txt', [TITLE, '（2024年12月20日）', ...TEXT].join('\n')))[0]?.meta['日期']).toBe('（2024年12月20日）');
    expect(split(doc('d.txt', [TITLE, '2025-03-15', ...TEXT].join('\n')))[0]?.meta['日期']).toBe('2025-03-15');
  });

  it('keeps no piece that has neither a title nor sentences', () => {
    const drafts = split(doc('e.txt', [...TEXT, '中共甲县卫生健康局党组', '2024年12月20日', '', '县融媒体中心 出品', '扫码看更多', '拍客 甲县'].join('\n')));
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.signature).toBe('中共甲县卫生健康局党组');
    expect(drafts[0]?.paragraphs.map((p) => p.text)).toEqual(TEXT);
  });

  it('joins a title wrapped over two lines, and drops its site tag', () => {
    const drafts = split(doc('f.txt', ['【巡察整改】中共甲县卫生健康局党组关于十四届', '县委第二轮巡察整改进展情况的通报', ...TEXT].join('\n')));
    expect(drafts.map((d) => d.title)).toEqual(['中共甲县卫生健康局党组关于十四届县委第二轮巡察整改进展情况的通报']);
  });
});
