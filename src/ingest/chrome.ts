/**
 * Chrome: the lines a site wraps around an article (breadcrumbs, meta lines, toolbars, footers,
 * navigation), recognised line by line and dropped; meta values are kept.
 */
import { shadow } from './shadow.ts';
import type { SourceLine } from './types.ts';

const META_KEYS = [
  '信息来源', '文章来源', '来源', '发布时间', '发布日期', '发文日期', '更新时间', '日期', '时间',
  '责任编辑', '编辑', '作者', '浏览次数', '浏览量', '点击数', '点击量', '点击率', '阅读次数', '阅读量', '访问量',
  '字体', '字号', '分享到', '分享',
];
const META_KEY = new RegExp(`(${META_KEYS.join('|')})\\s*[:：]`, 'g');
/** Keys whose line is chrome even when it carries a single key. */
const META_ALONE = /^(来源|信息来源|文章来源|发布时间|发布日期|作者|责任编辑|编辑|浏览次数|点击数|阅读次数|字体|字号|分享到)\s*:/;
const LEADING_DATE = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*/;
/** Button labels that trail meta values ("字体: [ ] 打印"). */
const BUTTONS = /(【[^】]*】|\[[^\]]*\]|打印本页|打印|关闭窗口|关闭|收藏|大\s*中\s*小)/g;

const BREADCRUMB = /^(您的位置|您现在的位置|你的位置|当前位置|现在位置|所在位置|位置)\s*:|^首页\s*(>|»|›|\/|-)/;
const DISCLAIMER = /免责声明|版权归原作者|仅供(学习|参考)交流|不代表本(网|站)(观点|立场)|转载请注明|本(网|站)(内容|文章)?仅供参考/;
const COPYRIGHT = /copyright|©|\(c\)\s*\d{4}|版权所有|all rights reserved/i;
const ICP = /icp\s*[备证]|备案号|备案序号|公网安备|网站标识码|网站识别码/i;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;
const SITE_CONTACT = /投诉|侵权|纠错|本网|本站|站长|webmaster|联系我们/i;
const LINK_LINE = /^(原文链接|原文地址|本文链接|文章链接|来源网址|网址)\s*:\s*(\S+)/;
const NAV_TOKEN = '(政府信息公开|信息公开|首页|返回顶部|返回首页|返回列表|返回|上一篇[^\\n]*|下一篇[^\\n]*|打印本页|打印|关闭窗口|关闭|分享到[^\\n]*|扫一扫[^\\n]*|网站地图|联系我们|加入收藏|设为首页|无障碍浏览|无障碍|长者模式|关怀版|繁体|简体|english|【[^】]*】|\\[[^\\]]*\\]|[|｜·•/>»›\\s-])';
const NAV_LINE = new RegExp(`^${NAV_TOKEN}+$`, 'i');

export interface Stripped {
  lines: SourceLine[];
  meta: Record<string, string>;
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
  raw.forEach((rawLine, index) => {
    const line = rawLine.replace(/^[\s\u3000\uFEFF]+|[\s\u3000]+$/g, '');
    const sc = shadow(line);
    const no = index + 1;
    if (line === '') {
      lines.push({ no, text: '' });
      return;
    }
    if (readMetaLine(line, sc, meta)) return;
    const link = LINK_LINE.exec(sc);
    if (link !== null) {
      meta[link[1] as string] = line.slice(sc.length - (link[2] as string).length);
      return;
    }
    if (isChrome(sc)) return;
    lines.push({ no, text: line });
  });
  return { lines, meta };
}

function isChrome(sc: string): boolean {
  if (BREADCRUMB.test(sc) || DISCLAIMER.test(sc) || COPYRIGHT.test(sc) || ICP.test(sc)) return true;
  if (EMAIL.test(sc) && SITE_CONTACT.test(sc)) return true;
  return sc.length <= 60 && NAV_LINE.test(sc);
}

/** Records a 来源/发布时间/… line's values in meta and reports whether the line was one. */
function readMetaLine(line: string, shadowed: string, meta: Record<string, string>): boolean {
  let sc = shadowed;
  if (sc.length > 160) return false;
  // Buttons such as 【字体：大 中 小】 hold key-like words; blank them out, keeping offsets.
  sc = sc.replace(/【[^】]*】|\[[^\]]*\]/g, (button) => ' '.repeat(button.length));
  let rest = sc;
  let offset = 0;
  const date = LEADING_DATE.exec(sc);
  if (date !== null) {
    rest = sc.slice(date[0].length);
    offset = date[0].length;
  }
  const keys = [...rest.matchAll(META_KEY)];
  const distinct = new Set(keys.map((k) => k[1]));
  const isMeta = distinct.size >= 2 || (keys.length === 1 && keys[0]?.index === 0 && META_ALONE.test(rest) && sc.length <= 80);
  if (!isMeta) return false;
  if (date !== null) meta['日期'] = line.slice(0, date[1]?.length ?? 0);
  keys.forEach((key, k) => {
    const start = offset + (key.index ?? 0) + key[0].length;
    const end = k + 1 < keys.length ? offset + (keys[k + 1]?.index ?? rest.length) : sc.length;
    const value = line.slice(start, end).replace(BUTTONS, ' ').replace(/\s+/g, ' ').trim();
    const name = key[1] as string;
    if (value !== '' && !/^(字体|字号|分享到|分享)$/.test(name)) meta[name] = value;
  });
  return true;
}
