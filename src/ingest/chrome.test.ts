import { describe, expect, it } from 'vitest';
import { stripChrome } from './chrome.ts';

const BODY = [
  '根据县委统一部署，县委第二巡察组对局党组进行了巡察，现将整改进展情况予以公布。',
  '一、整改工作组织情况',
  '（一）加强组织领导。局党组成立整改工作领导小组，逐项明确责任人和完成时限。',
  '整改状态：完成',
];

/** What is left of a page made of `chrome` lines around the body. */
function kept(...chrome: string[][]): string[] {
  const [before = [], after = []] = chrome;
  return stripChrome([...before, ...BODY, ...after].join('\n')).lines.map((l) => l.text).filter((t) => t !== '');
}

describe('site chrome, recognised by what it is', () => {
  it('drops breadcrumbs, labelled or not, in either script', () => {
    expect(kept(['当前位置: 首页 >> 本级巡察情况'])).toEqual(BODY);
    expect(kept(['您当前的位置：首页 > 政务公开 > 部门动态'])).toEqual(BODY);
    expect(kept(['✜ 党群工作专栏► 您现在位置:党群工作 >> 党群工作专栏 >> 浏览文章'])).toEqual(BODY);
    expect(kept(['首頁 > 新聞中心 > 部門動態'])).toEqual(BODY);
    expect(kept(['新闻中心 » 通知公告 » 正文'])).toEqual(BODY);
    // A date written with slashes is no breadcrumb.
    expect(kept([], ['2024/12/20'])).toEqual([...BODY, '2024/12/20']);
  });

  it('drops toolbars, menus, follow-us and login boxes, welcome banners', () => {
    expect(kept(['字体大小:', '【字体：大 中 小】【打印本页】【关闭窗口】', '视力保护色:'])).toEqual(BODY);
    expect(kept(['首页 政务公开 政务服务 互动交流 走进会宁', '微信公众号', '微信扫码关注', '搜索'])).toEqual(BODY);
    expect(kept(['攀枝花市西区人民政府网站欢迎你', '欢迎进入山西省临汾市中心医院官方网站! 加入收藏 联系我们'])).toEqual(BODY);
    expect(kept([], ['分享到：微信 微博 QQ空间', '[打印文章] [添加收藏] [心情排行]', '感动 同情 无聊 愤怒 搞笑 难过 高兴 路过', 'A 标准 A', '返回顶部'])).toEqual(BODY);
    expect(kept([], ['掃一掃在手機打開當前頁', '用戶登錄', '還沒有賬號?', '立即註冊'])).toEqual(BODY);
    expect(kept([], ['欢迎关注阜阳新闻网微信公众号 : fynewsnet', '【我要糾錯】 責任編輯:李某'])).toEqual(BODY);
  });

  it('drops footers and disclaimers, but not a closing sentence that gives a phone number', () => {
    const closing = '欢迎广大干部群众对整改落实情况进行监督，联系电话：0791-86265623，邮编：330006。';
    expect(
      kept([], [closing, '主办单位：台州市卫生健康委员会　承办：台州市卫生健康信息中心', '网站标识码：3310000042　浙ICP备12345678号　浙公网安备 33100202000456号', 'COPY 2011 北京市通州区妇幼保健院', '单位地址:北京市通州区新华大街108号', '[免责声明] 本文来源于网络转载,仅供学习交流使用。']),
    ).toEqual([...BODY, closing]);
  });

  it('drops credits, link lists, title echoes, image names and template residue', () => {
    expect(kept([], ['(记者 陈某)', '(县融媒体中心 王某某 审核 县卫健委)', '[编辑: 崔某 ]', '责任编辑：王某'])).toEqual(BODY);
    expect(kept([], ['相关文章', '· 中共新化县医疗保障局党组关于县委巡察整改进展情况的通报 2024-11-18', '· 新化县卫生健康局召开巡察整改专题民主生活会 2024-10-08'])).toEqual(BODY);
    expect(kept([], ['正在阅读:中共来安县卫生健康委员会党组关于县委巡察集中整改进展情况的通报', '微信图片_20240619112915.jpg', '010070080010000000000000011100001129669813', '<'])).toEqual(BODY);
    expect(kept([], ['上一篇：市委第五巡察组反馈意见的整改方案', '下一条:我院开展医德医风专题教育'])).toEqual(BODY);
    expect(kept(['<legend id="h4sia"></legend><samp id="h4sia"></samp>', '  • <input id="h4sia"><address id="h4sia"></address>', '«上一版 下一版»本期共8版, 当前第2版 PDF'])).toEqual(BODY);
  });
});

describe('meta lines', () => {
  const meta = (line: string) => {
    const out = stripChrome([line, ...BODY].join('\n'));
    expect(out.lines.map((l) => l.text).filter((t) => t !== '')).toEqual(BODY);
    return out.meta;
  };

  it('reads keys however a site lays them out', () => {
    expect(meta('发布时间: 2025-05-28   信息来源:市委巡察办   访问量:0   保护视力色:')).toMatchObject({ 发布时间: '2025-05-28', 信息来源: '市委巡察办', 访问量: '0' });
    expect(meta('发布日期:2026-02-26信息来源:市卫健委')).toMatchObject({ 发布日期: '2026-02-26', 信息来源: '市卫健委' });
    expect(meta('- 信息来源:市卫生健康委')).toMatchObject({ 信息来源: '市卫生健康委' });
    expect(meta('发布日期:2024-11-06| 文章来源: 北京市通州区妇幼保健院| 浏览量:3021 | 【关闭】')).toMatchObject({ 发布日期: '2024-11-06', 文章来源: '北京市通州区妇幼保健院', 浏览量: '3021' });
    expect(meta('2024-9-17 09:24| 编辑: 谢某 | 查看: 22418| 评论: 0|原作者: 记者 宋某|来自: 阜阳日报')).toMatchObject({ 日期: '2024-9-17 09:24', 来自: '阜阳日报' });
    expect(meta('http://www.clnews.com.cn  2024-05-29 12:24:24   来源:长乐新闻网  【字号 大 中 小】')).toMatchObject({ 日期: '2024-05-29 12:24:24', 来源: '长乐新闻网' });
    expect(meta('來源:平江縣衛生健康局 日期:2024-12-14 00:00 字號:【')).toMatchObject({ 日期: '2024-12-14 00:00' });
  });

  it('reads the 信息公开 table, spaced keys included, and takes 成文时间 and 刊发日期 for the publish date', () => {
    expect(meta('索 引 号： 007023456/2024-00321 分 类： 卫生、体育')).toMatchObject({ 索引号: '007023456/2024-00321' });
    expect(meta('发文字号： 成文时间： 2025-10-09')).toMatchObject({ 成文时间: '2025-10-09', 发布日期: '2025-10-09' });
    expect(meta('刊发日期:2024-12-18 阅读次数: 作者:  语音阅读:')).toMatchObject({ 发布日期: '2024-12-18' });
    expect(meta('成文日期: | 发布日期: | 2023-11-07 | |')).toMatchObject({ 发布日期: '2023-11-07' });
    expect(meta('信息来源:纪委 发布时间:2023-12-04 10:36  阅读次数: 【打印】 【字体:  ')).toMatchObject({ 信息来源: '纪委', 发布时间: '2023-12-04 10:36' });
  });

  it('takes the date of a byline stamped to the minute', () => {
    expect(meta('原创 衡东卫健 衡东卫健 2024年10月08日 17:30 湖南')).toMatchObject({ 日期: '2024年10月08日' });
  });

  it('takes the line above the first meta line for the page title, whatever its wording', () => {
    const page = ['您现在的位置:首页>新闻动态>医院新闻', '【医院动态】市卫健局工作组到我院检查出生人口性别比综合治理工作', '文章来源: 作者: 发布时间:2024年11月15日 点击数:236 字号:', ...BODY];
    expect(stripChrome(page.join('\n')).titleAbove).toBe('【医院动态】市卫健局工作组到我院检查出生人口性别比综合治理工作');
    // A meta line under the text names no title.
    expect(stripChrome([...BODY, '发布时间：2024-06-12  来源：邵东市卫生健康局'].join('\n')).titleAbove).toBeNull();
  });
});
