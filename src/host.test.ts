import { describe, expect, it } from 'vitest';
import { createHostPlaces } from './host.ts';
import { createGazetteer, type Division } from './region.ts';

const places = createHostPlaces(createGazetteer({ towns: false }));
const read = (url: string) => places.of(url).map((d: Division) => [d.province, d.city, d.county].filter((x) => x !== null).join(' '));

describe('places named by a site host', () => {
  it('reads a place spelled in full pinyin, with an office code before it', () => {
    expect(read('http://wjw.zhuzhou.gov.cn/c1/2025/1.html')).toEqual(['湖南省 株洲市']);
    // 盐城市 and 郾城区 are both yancheng: a site spelled in full names the higher level.
    expect(read('http://wsj.yancheng.gov.cn/art/2024/7/25/art_1_1.html')).toEqual(['江苏省 盐城市']);
  });

  it('reads initials, also a city followed by one of its districts', () => {
    expect(read('https://www.alsyq.gov.cn/art/2025/10/9/art_1_1.html')).toEqual(['内蒙古自治区 阿拉善盟 阿拉善右旗']);
    expect(read('http://www.pzhsxq.gov.cn/zwgk/gsgg/1.shtml')).toEqual(['四川省 攀枝花市 西区']);
    expect(read('https://wsjkw.sc.gov.cn/')).toEqual(['四川省']);
  });

  it('leaves a spelling shared by several places open, for the text to decide', () => {
    expect(read('https://wjw.taizhou.gov.cn/a.html').sort()).toEqual(['江苏省 泰州市', '浙江省 台州市']);
    // Two initials beside an office code (沧源 + jjjc) fit dozens of places.
    const cangyuan = read('https://cyjjjc.gov.cn/xsxcha/1.html');
    expect(cangyuan.length).toBeGreaterThan(2);
    expect(cangyuan).toContain('云南省 临沧市 沧源佤族自治县');
  });

  it('names nothing for hosts that spell no place, or are not URLs', () => {
    expect(read('https://example.com/notice.html')).toEqual([]);
    expect(read('https://www.cqcdc.org/index.php')).toEqual([]);
    expect(read('not a url')).toEqual([]);
    expect(read('http://192.168.1.20:8003/contents/1.html')).toEqual([]);
  });
});

describe('readings that fit by chance', () => {
  it('two pairs of initials name no chain (xjbt is not 新疆 + 北屯)', () => {
    expect(read('http://www.xjbt.gov.cn/')).not.toEqual(['新疆维吾尔自治区 北屯市']);
    // jn + szq (市中区) or jns + zq (章丘区): both stay, and the title's 市中区 settles it.
    expect(read('http://www.jnszq.gov.cn/art/1.html')).toContain('山东省 济南市 市中区');
  });
});
