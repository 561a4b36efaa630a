import { describe, expect, it } from 'vitest';
import { inspectedBody, isOrgLine } from './org.ts';
import { titleOrg } from './title.ts';

describe('the org a title names (titleOrg)', () => {
  it('reads the org before 关于, without a site tag in front', () => {
    expect(titleOrg('沧源佤族自治县医疗保障局党组关于第十四届县委机动巡察整改进展情况的通报')).toBe('沧源佤族自治县医疗保障局党组');
    expect(titleOrg('【巡察整改】中共怀化市卫生健康委员会关于巡察整改进展情况的通报')).toBe('中共怀化市卫生健康委员会');
  });

  it('keeps both orgs of a joint notice, joined with 、', () => {
    expect(titleOrg('中共攀枝花市西区卫生健康局党组 中共攀枝花市西区红十字会党组关于区委巡察反馈意见整改进展情况的通报')).toBe('中共攀枝花市西区卫生健康局党组、中共攀枝花市西区红十字会党组');
    expect(titleOrg('中共临武县卫生健康局党组和中共临武县医疗保障局党组关于巡察整改情况的通报')).toBe('中共临武县卫生健康局党组、中共临武县医疗保障局党组');
    expect(titleOrg('中共湖北省卫生和计划生育委员会党组关于巡视整改情况的通报')).toBe('中共湖北省卫生和计划生育委员会党组');
  });

  it('finds none where the title names no org', () => {
    expect(titleOrg('关于巡察整改进展情况的通报')).toBeNull();
  });
});

describe('inspectedBody', () => {
  it('is the body the opening says was inspected', () => {
    expect(inspectedBody('根据市委部署，2024年4月8日至6月12日，市委第二巡察组对中心党委进行了巡察。')).toBe('中心党委');
    expect(inspectedBody('市委第六巡察组于2024年7月对市卫健委党委开展了常规巡察。')).toBe('市卫健委党委');
    expect(inspectedBody('9月14日，巡察组向县医疗保障局党组反馈了巡察意见。')).toBe('县医疗保障局党组');
  });

  it('is none when the opening names no party body', () => {
    expect(inspectedBody('今年以来，我局持续推进医共体建设。')).toBeNull();
  });
});

describe('isOrgLine', () => {
  it('knows signature lines of offices, centres and party groups', () => {
    expect(isOrgLine('沧源佤族自治县医疗保障局党组')).toBe(true);
    expect(isOrgLine('盐城市疾病预防控制中心')).toBe(true);
    expect(isOrgLine('中共阿拉善右旗卫生健康委员会党组')).toBe(true);
    expect(isOrgLine('整改落实情况')).toBe(false);
    expect(isOrgLine('强化医保基金监管，守牢安全底线')).toBe(false);
    // A line of hard-wrapped text that ends in an org's name is prose.
    expect(isOrgLine('市委第二巡察组对县疾病预防控制中心')).toBe(false);
    expect(isOrgLine('推动建设县域医学检验共享中心')).toBe(false);
  });
});
