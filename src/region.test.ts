import { describe, expect, it } from 'vitest';
import { createGazetteer } from './region.ts';

const gazetteer = createGazetteer();
const place = (strong: string[], weak = '') => {
  const { province, city, county } = gazetteer.resolve({ strong, weak });
  return { province, city, county };
};

describe('gazetteer', () => {
  it('resolves the issuers of the corpus to their full region', () => {
    expect(place(['中共蓬溪县卫生健康局党组'])).toEqual({ province: '四川省', city: '遂宁市', county: '蓬溪县' });
    expect(place(['中共揭阳市揭东区卫生健康局党组'])).toEqual({ province: '广东省', city: '揭阳市', county: '揭东区' });
    expect(place(['中共泸州市中医医院委员会'])).toEqual({ province: '四川省', city: '泸州市', county: null });
    expect(place(['中共江西省卫生健康委员会党组'])).toEqual({ province: '江西省', city: null, county: null });
    expect(place(['临武县卫生健康局'])).toEqual({ province: '湖南省', city: '郴州市', county: '临武县' });
    expect(place(['博罗县卫生健康局'])).toEqual({ province: '广东省', city: '惠州市', county: '博罗县' });
    expect(place(['龙川县卫生健康局'])).toEqual({ province: '广东省', city: '河源市', county: '龙川县' });
    expect(place(['咸宁市卫生健康委'])).toEqual({ province: '湖北省', city: '咸宁市', county: null });
    expect(place(['阿拉善右旗卫生健康委员会'])).toEqual({ province: '内蒙古自治区', city: '阿拉善盟', county: '阿拉善右旗' });
  });

  it('settles a repeated county name with the city or province the text names', () => {
    expect(place(['朝阳区卫生健康委员会'], '北京市各区卫生健康委')).toEqual({ province: '北京市', city: '北京市', county: '朝阳区' });
    expect(place(['朝阳区卫生健康局'], '吉林省长春市')).toEqual({ province: '吉林省', city: '长春市', county: '朝阳区' });
    // Named alone, 朝阳区 could be either: the text does not say, so neither is guessed.
    expect(place(['朝阳区卫生健康局'])).toEqual({ province: null, city: null, county: null });
  });

  it('lets the names a notice gives itself outrank places mentioned in passing', () => {
    const weak = '调研学习泸县、江安、米易等紧密型县域医共体建设标杆区(县)先进经验,泸县泸县泸县';
    expect(place(['中共蓬溪县卫生健康局党组'], weak)).toEqual({ province: '四川省', city: '遂宁市', county: '蓬溪县' });
    expect(place(['中共泸州市中医医院委员会'], '邮政信箱:泸州市纳溪区杏林路80号')).toMatchObject({ city: '泸州市', county: null });
  });

  it('falls back to places in the text, and to nothing when there are none', () => {
    expect(place(['中共市卫健局委员会'], '6月,市直医疗单位接受了南平市卫健局检查')).toEqual({ province: '福建省', city: '南平市', county: null });
    expect(place(['区卫健局'], '邀请中国人口报、人口健康报、滨州日报、市、区电视台等媒体')).toEqual({ province: null, city: null, county: null });
  });

  it('reads towns only when the gazetteer knows them once', () => {
    expect(place([], '做好第一方案隔离病区储备(四姑娘山镇卫生院6间、美兴镇卫生院7间)')).toEqual({ province: '四川省', city: '阿坝藏族羌族自治州', county: '小金县' });
  });

  it('does not find districts inside other names or everyday words', () => {
    const names = (text: string) => gazetteer.find(text).map((m) => m.name);
    expect(names('揭阳市揭东区')).toEqual(['揭阳市', '揭东区']);
    expect(names('加快城区建设,改善郊区环境')).toEqual([]);
    expect(names('攀枝花市东区')).toEqual(['攀枝花市', '东区']);
  });
});

describe('the site as evidence', () => {
  const byName = (name: string) => gazetteer.divisions().filter((d) => d.name === name);
  const sites = (...names: string[]) => names.flatMap(byName);

  it('stands in when the text names no place, and settles a generic district', () => {
    expect(gazetteer.resolve({ strong: ['市卫健委党委'], weak: '', site: sites('株洲市') })).toMatchObject({ province: '湖南省', city: '株洲市', county: null });
    expect(gazetteer.resolve({ strong: ['西区卫生健康局党组'], weak: '', site: sites('攀枝花市') })).toMatchObject({ city: '攀枝花市', county: '西区' });
  });

  it('never outvotes a place the text names', () => {
    expect(gazetteer.resolve({ strong: ['中共株洲市卫生健康委员会党组'], weak: '', site: sites('盐城市') })).toMatchObject({ city: '株洲市' });
  });

  it('a host that fits two cities is settled by the short names of places under one of them', () => {
    const two = sites('宿迁市', '商丘市');
    expect(two).toHaveLength(2);
    expect(gazetteer.resolve({ strong: ['市卫健委党委'], weak: '推动沭阳、泗洪两县新建医疗机构投入使用', site: two })).toMatchObject({ province: '江苏省', city: '宿迁市' });
    expect(gazetteer.resolve({ strong: ['市卫健委党委'], weak: '推动两县新建医疗机构投入使用', site: two })).toMatchObject({ province: null, city: null });
  });
});

describe('the site against places named in passing', () => {
  const site = gazetteer.divisions().filter((d) => d.name === '株洲市');
  it('outweighs a city the text only mentions, and agrees with a county inside it', () => {
    expect(gazetteer.resolve({ strong: ['市卫健委党委'], weak: '组织骨干赴长沙市学习先进经验', site })).toMatchObject({ city: '株洲市', county: null });
    expect(gazetteer.resolve({ strong: ['县卫健局党组'], weak: '炎陵县委第二巡察组进行了巡察', site })).toMatchObject({ city: '株洲市', county: '炎陵县' });
  });
});
