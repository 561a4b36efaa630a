import { describe, expect, it } from 'vitest';
import { cleanTitle, isTitleLine, joinTitle, titleOrg, wrappedTitleLength } from './title.ts';

describe('title lines', () => {
  it('knows a notice title with an org, without one, and in traditional script', () => {
    expect(isTitleLine('中共蓬溪县卫生健康局党组关于巡察反馈问题集中整改进展情况的通报')).toBe(true);
    expect(isTitleLine('关于整改进展情况的通报')).toBe(true);
    expect(isTitleLine('中共澧縣衛生健康局黨組關於縣委巡察整改進展情況的通報')).toBe(true);
    expect(isTitleLine('【巡察整改】中共怀化市卫生健康委员会关于巡察整改进展情况的通报')).toBe(true);
  });

  it('is not a heading, a sentence, or a label that repeats the title', () => {
    expect(isTitleLine('一、关于整改情况的报告')).toBe(false);
    expect(isTitleLine('局党组制定了关于整改情况的通报。')).toBe(false);
    expect(isTitleLine('正在阅读:中共来安县卫生健康委员会党组关于县委巡察集中整改进展情况的通报')).toBe(false);
  });

  it('drops the site tags in front of a title', () => {
    expect(cleanTitle('【巡察整改】中共怀化市卫生健康委员会关于巡察整改进展情况的通报')).toBe('中共怀化市卫生健康委员会关于巡察整改进展情况的通报');
    expect(cleanTitle('[通报]中共德阳市旌阳区卫生健康局党组关于区委巡察整改进展情况的通报')).toBe('中共德阳市旌阳区卫生健康局党组关于区委巡察整改进展情况的通报');
    expect(cleanTitle('【医院动态】【置顶】甲医院党委关于巡察整改情况的通报')).toBe('甲医院党委关于巡察整改情况的通报');
    // A document name in brackets is not a tag: too long to be one.
    expect(cleanTitle('〔关于进一步加强医疗机构巡察整改工作的实施意见〕')).toBe('〔关于进一步加强医疗机构巡察整改工作的实施意见〕');
  });
});

describe('wrapped titles', () => {
  it('joins a title wrapped after its 关于 over two or three lines', () => {
    expect(wrappedTitleLength(['沧源佤族自治县医疗保障局党组关于第十四届', '县委机动巡察整改进展情况的通报', '根据县委统一部署，'])).toBe(2);
    expect(wrappedTitleLength(['博兴县中医医院党委关于十四届', '县委第六轮巡察集中整改', '进展情况的通报'])).toBe(3);
    expect(joinTitle(['沧源佤族自治县医疗保障局党组关于第十四届', '县委机动巡察整改进展情况的通报'])).toBe('沧源佤族自治县医疗保障局党组关于第十四届县委机动巡察整改进展情况的通报');
  });

  it('joins an org line with the 关于 line under it', () => {
    expect(wrappedTitleLength(['中共武冈市卫生健康局党组', '关于市委巡察整改进展情况的通报'])).toBe(2);
  });

  it('never joins a banner or a section label to the title under it', () => {
    expect(wrappedTitleLength(['要闻动态Navigation', '中共巴彦淖尔市卫生健康委员会党组关于市委巡察整改进展情况的通报'])).toBe(0);
    expect(wrappedTitleLength(['信息发布', '关于整改进展情况的通报'])).toBe(0);
    expect(wrappedTitleLength(['中共甲县卫生健康局党组关于巡察整改进展情况的通报', '根据县委统一部署'])).toBe(0);
  });
});

describe('the org a title names', () => {
  it('is the part before 关于, without tags, in the script it is written in', () => {
    expect(titleOrg('【巡察整改】中共怀化市卫生健康委员会关于巡察整改进展情况的通报')).toBe('中共怀化市卫生健康委员会');
    expect(titleOrg('中共澧縣衛生健康局黨組關於縣委巡察整改進展情況的通報')).toBe('中共澧縣衛生健康局黨組');
    expect(titleOrg('市卫健委党委关于巡察整改进展情况的通报')).toBe('市卫健委党委');
  });

  it('keeps both orgs of a joint notice', () => {
    expect(titleOrg('中共蒙城县卫生健康委员会党组 中共蒙城县医疗保障局党组关于县委巡察整改进展情况的通报')).toBe('中共蒙城县卫生健康委员会党组、中共蒙城县医疗保障局党组');
    expect(titleOrg('甲县卫生健康局和甲县医疗保障局关于联合整改情况的通报')).toBe('甲县卫生健康局、甲县医疗保障局');
  });

  it('is null when the title names none', () => {
    expect(titleOrg('关于整改进展情况的通报')).toBeNull();
    expect(titleOrg('巡察整改进展情况通报')).toBeNull();
  });
});
