/**
 * Chrome: the lines a site wraps around an article (breadcrumbs, meta lines, toolbars, footers,
 * navigation), recognised line by line and dropped; meta values are kept.
 */
import { shadow } from './shadow.ts';
import type { SourceLine } from './types.ts';

/**
 * Keys of the lines a page puts around its title: source, dates, author and editors, counters,
 * the 信息公开 table (索引号, 发布机构, 成文时间 …) and the toolbar's own labels. Written with any
 * spacing between their characters (索 引 号).
 */
const META_KEYS = [
  '信息来源', '文章来源', '稿件来源', '新闻来源', '来源', '来自', '发布机构', '发布单位', '发文机关',
  '发布时间', '发布日期', '发文日期', '发稿时间', '发表时间', '刊发日期', '刊发时间', '成文时间', '成文日期', '印发日期',
  '生效日期', '废止日期', '失效日期', '更新时间', '日期', '时间',
  '责任编辑', '编辑', '责编', '审核', '终审', '初审', '复审', '校对', '作者', '原作者', '撰稿', '供稿', '摄影', '记者', '通讯员',
  '浏览次数', '浏览量', '浏览', '点击数', '点击量', '点击率', '点击', '阅读次数', '阅读量', '阅读数', '访问量', '访问次数', '查看', '评论',
  '索引号', '主题分类', '组配分类', '分类', '公开方式', '公开范围', '公开时限', '发文字号', '文号', '名称', '主题词', '公文时效', '有效性',
  '字体大小', '字体', '字号', '保护视力色', '视力保护色', '语音阅读', '分享到', '分享',
];
const spaced = (key: string) => [...key].join('\\s*');
const META_KEY = new RegExp(`(${[...META_KEYS].sort((a, b) => b.length - a.length).map(spaced).join('|')})\\s*:`, 'g');
/** Keys whose value is a toolbar, not data. */
const TOOL_KEYS = new Set(['字体大小', '字体', '字号', '保护视力色', '视力保护色', '语音阅读', '分享到', '分享', '评论', '查看']);
/** Keys that carry the page's date under another name; recorded as 发布日期 too. */
const DATE_ALIASES = new Set(['刊发日期', '刊发时间', '成文时间', '成文日期', '印发日期', '发稿时间', '发表时间']);
const LEADING_URL = /^https?:\/\/\S+\s*/i;
const LEADING_DATE = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)\s*/;
/** Button labels that trail meta values ("字体: [ ] 打印"). */
const BUTTONS = /(【[^】]*】|\[[^\]]*\]|【[^】]*$|打印本页|打印|关闭窗口|关闭|收藏|大\s*中\s*小)/g;

/** "当前位置:" and its kin, anywhere in a line's first words: 您现在位置, 所在的位置, 当前的位置. */
const CRUMB_LABEL = /^.{0,20}(位置|路径|导航)\s*:/;
const CRUMB_SEPARATOR = /\s*(?:>>|>|»|›|→|\/|＞)\s*/;
const DISCLAIMER = /免责声明|版权归原作者|仅供(学习|参考)交流|不代表本(网|站)(观点|立场)|转载请注明|本(网|站)(内容|文章)?仅供参考|未经(许可|授权)(不得|禁止)(转载|复制)|禁止转载/;
const FOOTER = /copyright|©|\(c\)\s*\d{4}|\bcopy\s*\d{4}|版权所有|all rights reserved|icp\s*[备证]|备案号|备案序号|公网安备|网站标识码|网站识别码|主办单位|主办\s*:|承办单位|承办\s*:|协办单位|技术支持|单位地址|不良信息举报|新闻信息服务许可证|网站地图/i;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;
const SITE_CONTACT = /投诉|侵权|纠错|本网|本站|站长|webmaster|联系我们/i;
const LINK_LINE = /^(原文链接|原文地址|本文链接|文章链接|本页链接|来源网址|网址)\s*:\s*(\S+)/;
/** Welcome banners: 欢迎访问…网站, …网站欢迎您. */
const WELCOME = /欢迎(您|你)?(访问|光临|进入|来到|浏览)|(网站|网|官网|门户|平台)欢迎(您|你)/;
/** Follow-us lines: 欢迎关注…公众号, 关注我们的微博, 扫码关注. */
const FOLLOW = /欢迎关注|(关注|订阅).{0,16}(公众号|微博|抖音|视频号|头条号)|扫码关注|(公众号|微博|抖音号|视频号)\s*:/;
/** Credits under a text: (记者 张某), 编辑:李某, (县融媒体中心 王某 审核 …). */
const CREDIT = /^[(]?\s*(记者|通讯员|编辑|责编|责任编辑|审核|终审|初审|复审|审校|校对|摄影|摄像|撰稿|供稿|图\/文|文\/图)\s*[:\s]|^\(.{0,40}(记者|通讯员|编辑|审核|供稿|撰稿|责编).{0,40}\)$/;
/** A label that repeats the page's title under it: 正在阅读:…, 当前文章:…. */
const TITLE_ECHO = /^(正在阅读|当前文章|本文标题|文章标题|您正在浏览)\s*:/;
/** A newspaper's page label and page turner: A2:综合 总第4682期 2024-12-18编印, «上一版 下一版». */
const PRINT_LABEL = /第\d+期.{0,20}(编印|出版)|\d+版\s*:|上一版|下一版|本期共\d+版|当前第\d+版/;
/** Markup that a copy kept as text: a line of tags and nothing between them. */
const TAGS_ONLY = /^[\s\d.•·-]*(<\/?[a-z][^>]*>\s*)+$/i;
const IMAGE_FILE = /\.(jpe?g|png|gif|bmp|webp)$/i;
/** Headings of the link lists a page puts after the text; the list under one goes with it. */
const LINK_LIST = /^(相关(链接|文章|阅读|新闻|信息|推荐|文件|稿件)|推荐(阅读|文章|新闻)|延伸阅读|热点(文章|新闻|推荐)|热门(文章|新闻|推荐)|最新(文章|新闻|动态|更新)|猜你喜欢|更多(阅读|新闻)|往期回顾|专题推荐|友情链接|网站导航|政府网站|兄弟网站|部门网站)\s*:?$/;
/** A list item: a bullet, a title, a date. */
const LINK_ITEM = /^[·•▪►◆■□○●◇-]\s*.{2,80}?\s*[\[(]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[\])]?$/;
/**
 * Words that make up a toolbar, a menu of buttons, a follow-us or login box: a line made of
 * nothing else is chrome. Single characters (大 中 小, 顶) only count when the whole line is such words.
 */
const TOOL_WORDS = [
  '政府信息公开', '信息公开', '首页', '返回顶部', '返回首页', '返回列表', '返回', '上一篇[^\\n]*', '下一篇[^\\n]*', '上一条[^\\n]*', '下一条[^\\n]*',
  '上一页', '下一页', '打印本页', '打印文章', '打印此文', '打印', '关闭窗口', '关闭本页', '关闭', '分享到[^\\n]*', '分享', '扫一扫[^\\n]*', '扫描二维码[^\\n]*',
  '网站地图', '联系我们', '加入收藏', '添加收藏', '收藏本页', '收藏本站', '收藏', '设为首页', '无障碍浏览', '无障碍', '长者模式', '关怀版', '适老化', '繁体',
  '简体', 'english', '字体大小', '字体', '字号', '大', '中', '小', '标准', '默认', '保护视力色', '视力保护色', '护眼模式', '语音阅读', '语音播报', '阅读模式',
  '推荐', '评论', '点赞', '更多', '我要纠错', '纠错', '用户登录', '登录', '立即注册', '注册', '还没有账号', '忘记密码', '搜索', '手机版', '电脑版', '移动版',
  '微信公众号', '微信扫码关注', '扫码关注', '关注我们', '官方微博', '微信', '微博', 'qq空间', 'qq', '今日头条', '抖音', '心情排行', '感动', '同情', '无聊',
  '愤怒', '搞笑', '难过', '高兴', '路过', '顶', '踩', 'a', '附件', '文件名称', '上传时间', '下载次数', '下载', '操作', 'i\\s*d',
];
const TOOL_WORD = new RegExp(TOOL_WORDS.join('|'), 'gi');
const HAS_TOOL_WORD = new RegExp(TOOL_WORDS.join('|'), 'i');
const TOOL_REST = /[\s|｜·•/>»›<«\-_:()【】[\]"“”'‘’!.,，、。?？;]/g;

export interface Stripped {
  lines: SourceLine[];
  meta: Record<string, string>;
  /**
   * The line right above the page's first meta line, when it opens the page's text and reads as a
   * heading: where pages put their title, whatever its wording.
   */
  titleAbove: string | null;
}

/**
 * Drops the lines a site wraps around an article (breadcrumbs, 来源/发布时间/浏览次数 lines and
 * their buttons, disclaimers, copyright, ICP, the site's complaint address, navigation) and keeps
 * the values of the metadata lines. A line is dropped whole or kept whole: chrome never shares a
 * line with prose on these pages, and cutting inside a line would risk cutting the prose.
 */
export function stripChrome(text: string): Stripped {
  const meta: Record<string, string> = {};
  const lines: SourceLine[] = [];
  const raw = text.replace(/\r\n?/g, '\n').split('\n');
  let inLinkList = false;
  let titleAbove: string | null = null;
  let metaSeen = false;
  raw.forEach((rawLine, index) => {
    const line = rawLine.replace(/^[\s\u3000\uFEFF]+|[\s\u3000]+$/g, '');
    const sc = shadow(line);
    const no = index + 1;
    if (line === '') {
      inLinkList = false;
      lines.push({ no, text: '' });
      return;
    }
    if (inLinkList && sc.length <= 80 && !/[。;]/.test(sc)) return;
    inLinkList = false;
    if (LINK_LIST.test(sc.replace(/\s+/g, ''))) {
      inLinkList = true;
      return;
    }
    const known = Object.keys(meta).length;
    if (readMetaLine(line, sc, meta) || readStampLine(sc, line, meta)) {
      // The first meta line that says something (a date, a source), not a toolbar's label.
      if (!metaSeen && Object.keys(meta).length > known) {
        titleAbove = headingAbove(lines);
        metaSeen = true;
      }
      return;
    }
    const link = LINK_LINE.exec(sc);
    if (link !== null) {
      meta[link[1] as string] = line.slice(sc.length - (link[2] as string).length);
      return;
    }
    if (isChrome(sc)) return;
    lines.push({ no, text: line });
  });
  return { lines, meta, titleAbove };
}

/** The last line kept, if it is one of the page's first three and short and unpunctuated. */
function headingAbove(lines: SourceLine[]): string | null {
  const kept = lines.filter((l) => l.text !== '');
  const last = kept[kept.length - 1];
  if (last === undefined || kept.length > 3) return null;
  const sc = shadow(last.text);
  return sc.length <= 80 && !/[。;,，]/.test(sc) && /\p{Script=Han}/u.test(sc) ? last.text : null;
}

/** A line of the site, not of the text: recognised by what it is, whatever site it is on. */
export function isChrome(sc: string): boolean {
  const sentence = /[。;]/.test(sc);
  if (!/[\p{L}\p{N}]/u.test(sc) || TAGS_ONLY.test(sc)) return true;
  if (DISCLAIMER.test(sc)) return true;
  if (EMAIL.test(sc) && SITE_CONTACT.test(sc)) return true;
  if (FOOTER.test(sc) && (!sentence || sc.length <= 100)) return true;
  if (sentence || sc.length > 120) return false;
  if (isBreadcrumb(sc) || WELCOME.test(sc) || TITLE_ECHO.test(sc) || LINK_ITEM.test(sc) || (sc.length <= 60 && FOLLOW.test(sc))) return true;
  if (sc.length <= 60 && (CREDIT.test(sc) || PRINT_LABEL.test(sc) || IMAGE_FILE.test(sc))) return true;
  // One bracketed label alone ([编辑: 某某], 【关闭】), or a run of letters and digits with no word in it.
  if (/^(【[^】]{0,30}】|\[[^\]]{0,30}\])$/.test(sc) || /^[\x21-\x7e]{16,}$/.test(sc)) return true;
  if (sc.length <= 80 && sc.replace(TOOL_WORD, '').replace(TOOL_REST, '') === '' && HAS_TOOL_WORD.test(sc)) return true;
  return isMenu(sc);
}

function isBreadcrumb(sc: string): boolean {
  if (CRUMB_LABEL.test(sc) || /^首页\s*(>|»|›|\/|-|>>)/.test(sc)) return true;
  const parts = sc.split(CRUMB_SEPARATOR).filter((p) => p !== '');
  // Words between the separators, not numbers (2024/12/20 is a date, 1/3 a share).
  const named = parts.filter((p) => /\p{Script=Han}/u.test(p)).length;
  return parts.length >= 3 && named >= 2 && parts.every((p) => p.length <= 16 && !/[,，、:]/.test(p));
}

/** A row of menu entries: three or more short words side by side and nothing else. */
function isMenu(sc: string): boolean {
  const words = sc.split(/\s+|[|｜]/).filter((w) => w !== '');
  return words.length >= 3 && sc.length <= 60 && words.every((w) => /^[\p{Script=Han}A-Za-z]{1,8}$/u.test(w));
}

const STAMP = /(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*\d{1,2}:\d{2}(:\d{2})?/;

/**
 * A byline stamped with a date and a clock time and nothing said ("原创 某某卫健 2024年10月08日
 * 17:30 湖南"): a text never dates itself to the minute, a page does. Its date is the page's.
 */
function readStampLine(sc: string, line: string, meta: Record<string, string>): boolean {
  const m = STAMP.exec(sc);
  if (m === null || sc.length > 60 || /[。;,，]/.test(sc)) return false;
  meta['日期'] ??= line.slice(m.index, m.index + (m[1] as string).length);
  return true;
}

/** Records a 来源/发布时间/… line's values in meta and reports whether the line was one. */
function readMetaLine(line: string, shadowed: string, meta: Record<string, string>): boolean {
  if (shadowed.length > 160 || /[。;]/.test(shadowed)) return false;
  // Buttons such as 【字体：大 中 小】 hold key-like words; blank them out, keeping offsets.
  let sc = shadowed.replace(/【[^】]*】|\[[^\]]*\]|【[^】]*$/g, (button) => ' '.repeat(button.length));
  // A list's bullet in front ("- 信息来源:…", "· 发布日期:…") is part of the layout, not of the line.
  let offset = /^[-*·•]\s+/.exec(sc)?.[0].length ?? 0;
  sc = ' '.repeat(offset) + sc.slice(offset);
  const url = LEADING_URL.exec(sc.slice(offset));
  if (url !== null) {
    offset += url[0].length;
    sc = ' '.repeat(offset) + sc.slice(offset);
  }
  const date = LEADING_DATE.exec(sc.slice(offset));
  let rest = sc.slice(offset);
  if (date !== null) {
    rest = rest.slice(date[0].length);
    offset += date[0].length;
  }
  const keys = [...rest.matchAll(META_KEY)];
  const distinct = new Set(keys.map((k) => (k[1] as string).replace(/\s+/g, '')));
  const first = keys[0];
  const alone = keys.length === 1 && first !== undefined && rest.slice(0, first.index).trim() === '' && sc.length <= 80;
  const isMeta = distinct.size >= 2 || alone || (date !== null && keys.length === 0 && rest.trim() === '' && offset > 0 && url !== null);
  if (!isMeta) return false;
  if (date !== null) meta['日期'] ??= line.slice(offset - date[0].length, offset).trim();
  keys.forEach((key, k) => {
    const start = offset + (key.index ?? 0) + key[0].length;
    const end = k + 1 < keys.length ? offset + (keys[k + 1]?.index ?? rest.length) : sc.length;
    const value = line.slice(start, end).replace(BUTTONS, ' ').replace(/\s+/g, ' ').replace(/^[|｜\s]+|[|｜\s]+$/g, '');
    const name = (key[1] as string).replace(/\s+/g, '');
    if (value === '' || TOOL_KEYS.has(name)) return;
    meta[name] = value;
    if (DATE_ALIASES.has(name)) meta['发布日期'] ??= value;
  });
  return true;
}
