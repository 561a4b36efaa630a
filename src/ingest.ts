/**
 * Ingest: bytes of one scraped page → its readable lines, without the site around them.
 *
 * Decoding, format handling (.txt / .html / .md) and chrome removal live here; what the lines
 * mean (notices, headings, passages) is left to split, structure and enrich. The text is kept as
 * written (traditional characters included); searchable forms come from normalize().
 *
 * @example
 * const result = ingest('000.txt', bytes);
 * if (result.ok) console.log(result.doc.encoding, result.doc.lines.length, result.doc.meta['来源']);
 * else console.log(result.skipped.reason, result.skipped.detail);
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { Converter } from 'opencc-js/t2cn';

export type Format = 'txt' | 'html' | 'md';

/** Why a file was not parsed; a caller reports it and goes on with the rest of the batch. */
export type SkipReason = 'unsupported-type' | 'empty' | 'binary' | 'undecodable' | 'no-text';

export interface Skipped {
  source: string;
  reason: SkipReason;
  detail: string;
}

export interface SourceLine {
  /** 1-based line number in the decoded text (for .txt: the file's own line numbers). */
  no: number;
  /** The line as written, trimmed; '' for a blank line (blank lines tell paragraphs apart). */
  text: string;
}

export interface SourceDoc {
  source: string;
  format: Format;
  /** Name of the encoding the bytes were decoded from, e.g. UTF-8, GB18030, Big5. */
  encoding: string;
  /** Readable lines with site chrome removed. */
  lines: SourceLine[];
  /** Values of the page's 来源 / 发布时间 / 作者 / 浏览次数 / 原文链接 … lines, raw. */
  meta: Record<string, string>;
  /** The page's own title (HTML <h1>/<title>, Markdown front matter or # heading), if any. */
  titleHint: string | null;
}

export type IngestResult = { ok: true; doc: SourceDoc } | { ok: false; skipped: Skipped };

const FORMATS: Record<string, Format> = { txt: 'txt', text: 'txt', html: 'html', htm: 'html', md: 'md', markdown: 'md' };

/** The format a file name implies, or null when the extension is not one we read. */
export function formatOf(name: string): Format | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  return FORMATS[name.slice(dot + 1).toLowerCase()] ?? null;
}

export function ingest(source: string, bytes: Uint8Array): IngestResult {
  const skip = (reason: SkipReason, detail: string): IngestResult => ({ ok: false, skipped: { source, reason, detail } });
  const format = formatOf(source);
  if (format === null) return skip('unsupported-type', 'only .txt, .html/.htm and .md files are read');
  if (bytes.length === 0) return skip('empty', 'the file has no bytes');
  const binary = binarySignature(bytes);
  if (binary !== null) return skip('binary', binary);

  const declared = format === 'html' ? declaredCharset(bytes) : null;
  const decoded = decode(bytes, declared);
  if (!decoded.ok) return skip(decoded.reason, decoded.detail);
  if (decoded.text.trim() === '') return skip('empty', 'the file holds only white space');
  if (controlRatio(decoded.text) > 0.01) return skip('binary', `decoded as ${decoded.encoding} but full of control characters`);

  const page = format === 'html' ? htmlToText(decoded.text) : format === 'md' ? markdownToText(decoded.text) : { text: decoded.text, title: null, chromeText: '' };
  const { lines, meta } = stripChrome(page.text);
  // Meta lines often sit outside the article block the HTML extractor chose; read them too.
  if (page.chromeText !== '') {
    for (const [key, value] of Object.entries(stripChrome(page.chromeText).meta)) meta[key] ??= value;
  }
  let body = lines;
  const title = page.title;
  if (title !== null && !lines.some((l) => l.text !== '' && sameText(l.text, title))) {
    // The page title sat outside the chosen block; put it back in front where split looks for it.
    body = [{ no: 0, text: title }, { no: 0, text: '' }, ...lines];
  }
  if (!body.some((l) => /[\p{L}\p{N}]/u.test(l.text))) return skip('no-text', 'no readable text is left once site chrome is removed');
  return { ok: true, doc: { source, format, encoding: decoded.encoding, lines: body, meta, titleHint: title } };
}

// ---------------------------------------------------------------------------------------------
// Decoding

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: 'undecodable'; detail: string };

/** chardet names of the encodings we accept, mapped to iconv-lite names. */
const CJK_ENCODINGS: Record<string, string> = {
  'GB18030': 'gb18030',
  'Big5': 'big5',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
};

/**
 * Strict UTF-8 first (a clean UTF-8 decode is near-certain proof), then the charset the page
 * declares, then chardet's ranking, each checked by decoding with iconv-lite: a candidate whose
 * decode produces replacement characters is rejected rather than trusted.
 */
export function decode(bytes: Uint8Array, declared: string | null = null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    if (text !== null) return { ok: true, text, encoding: 'UTF-8 (BOM)' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'UTF-16BE' };
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'UTF-8' };

  const buffer = Buffer.from(bytes);
  const candidates: { name: string; iconvName: string }[] = [];
  if (declared !== null) {
    const name = declared.toLowerCase();
    // GB2312 and GBK pages routinely use characters only GB18030 defines; decode them as GB18030.
    const iconvName = /^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(name) ? 'gb18030' : name;
    if (iconvName !== 'utf-8' && iconv.encodingExists(iconvName)) candidates.push({ name: declared, iconvName });
  }
  for (const match of chardet.analyse(bytes)) {
    const iconvName = CJK_ENCODINGS[match.name];
    if (iconvName !== undefined && match.confidence >= 10) candidates.push({ name: match.name, iconvName });
  }
  for (const candidate of candidates) {
    const text = iconv.decode(buffer, candidate.iconvName);
    if (replacementRatio(text) === 0) return { ok: true, text, encoding: candidate.name };
  }
  const detail =
    candidates.length === 0
      ? 'not valid UTF-8, and chardet finds no Chinese encoding (GB18030, Big5) in it'
      : `not valid UTF-8, and ${candidates.map((c) => c.name).join(', ')} did not decode it cleanly`;
  return { ok: false, reason: 'undecodable', detail };
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function replacementRatio(text: string): number {
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  return text.length === 0 ? 0 : bad / text.length;
}

function controlRatio(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) bad++;
  }
  return text.length === 0 ? 0 : bad / text.length;
}

const MAGIC: [string, number[]][] = [
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['ZIP archive (docx/xlsx…)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['OLE document (doc/xls)', [0xd0, 0xcf, 0x11, 0xe0]],
];

/** A reason when the bytes are plainly not text, else null. */
function binarySignature(bytes: Uint8Array): string | null {
  for (const [what, magic] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) return what;
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && bytes.subarray(0, 8192).includes(0)) return 'contains NUL bytes';
  return null;
}

function declaredCharset(bytes: Uint8Array): string | null {
  // Charset declarations are ASCII, so a latin1 view of the head is enough to read them.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Simplified shadow

const toSimplified = Converter({ from: 'hk', to: 'cn' });
// By UTF-16 unit: shadow() runs over every line of every page (npm run bench, indexing), and an
// array index is much cheaper than a string-keyed Map lookup and a one-character string per unit.
const shadowUnits: Array<string | undefined> = new Array(0x10000);

/**
 * The text with full-width ASCII folded to half width and every character converted to simplified
 * Chinese one for one, so it has exactly the original's length. Stages match their patterns (整改落实情况, （一）,
 * 现将…报告如下) on the shadow and cut the original at the same offsets, which keeps traditional
 * and full-width pages parsing the same way as simplified, half-width ones.
 */
export function shadow(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let mapped = shadowUnits[code];
    if (mapped === undefined) {
      const ch = text[i] as string;
      // Only full-width ASCII and the ideographic space are folded: full NFKC would also turn
      // ① into 1 and ⑴ into (1), and those are heading markers of their own rank.
      const folded = code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : code === 0x3000 ? ' ' : ch;
      const simple = toSimplified(folded);
      const one: string = simple.length === 1 ? simple : folded;
      shadowUnits[code] = one;
      mapped = one;
    }
    out += mapped;
  }
  return out;
}

function sameText(a: string, b: string): boolean {
  const squash = (s: string) => shadow(s).replace(/\s+/g, '');
  return squash(a) === squash(b);
}

// ---------------------------------------------------------------------------------------------
// Chrome

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

// ---------------------------------------------------------------------------------------------
// HTML

export interface PageText {
  /** The article's text, one block per line. */
  text: string;
  title: string | null;
  /** Text of the page outside the article (for metadata lines that sit beside it). */
  chromeText: string;
}

interface Element {
  tag: string;
  attrs: string;
  children: Node[];
  parent: Element | null;
}
type Node = Element | string;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** Elements whose content is never article prose. */
const DROP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object', 'canvas', 'select', 'button', 'nav', 'header', 'footer', 'aside', 'form', 'head', 'menu']);
const BLOCK = new Set(['p', 'div', 'br', 'li', 'ul', 'ol', 'tr', 'table', 'tbody', 'thead', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'main', 'blockquote', 'pre', 'dl', 'dt', 'dd', 'hr', 'center', 'figure', 'figcaption', 'address']);
/** Class or id words that mark site furniture rather than the article. */
const FURNITURE = /(^|[\s_-])(nav|navbar|menu|breadcrumb|crumb|footer|header|topbar|sidebar|banner|copyright|share|toolbar|position|location|weizhi|dqwz)([\s_-]|\d|$)/i;
/** Never text, wherever they sit. */
const NEVER_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'title']);

const ENTITIES: Record<string, string> = {
  nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", middot: '·',
  ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', mdash: '—', ndash: '–', hellip: '…', bull: '•', copy: '©', reg: '®',
  times: '×', divide: '÷', deg: '°', permil: '‰', laquo: '«', raquo: '»',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** A forgiving tag-soup parser: enough structure to find the article block, nothing more. */
function parseHtml(html: string): Element {
  const root: Element = { tag: '#root', attrs: '', children: [], parent: null };
  let current = root;
  const source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  const tagPattern = /<(\/?)([a-zA-Z][\w:-]*)([^>]*)>|<![^>]*>|<\?[^>]*>/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = tagPattern.exec(source)) !== null) {
    if (match.index > last) current.children.push(source.slice(last, match.index));
    last = tagPattern.lastIndex;
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue;
    if (match[1] === '/') {
      let open: Element | null = current;
      while (open !== null && open.tag !== name) open = open.parent;
      if (open !== null && open.parent !== null) current = open.parent;
      continue;
    }
    const el: Element = { tag: name, attrs: match[3] ?? '', children: [], parent: current };
    current.children.push(el);
    if (name === 'script' || name === 'style' || name === 'textarea' || name === 'title') {
      // Raw-text elements: their content may contain "<" and must not be parsed as tags.
      const close = new RegExp(`</${name}\\s*>`, 'ig');
      close.lastIndex = last;
      const end = close.exec(source);
      const stop = end === null ? source.length : end.index;
      el.children.push(source.slice(last, stop));
      last = end === null ? source.length : close.lastIndex;
      tagPattern.lastIndex = last;
      continue;
    }
    if (!VOID.has(name) && !match[3]?.trimEnd().endsWith('/')) current = el;
  }
  if (last < source.length) current.children.push(source.slice(last));
  return root;
}

function isFurniture(el: Element): boolean {
  if (DROP.has(el.tag)) return true;
  const attrs = /\b(?:class|id)\s*=\s*["']([^"']*)["']/gi;
  let match: RegExpExecArray | null;
  while ((match = attrs.exec(el.attrs)) !== null) {
    if (FURNITURE.test(match[1] ?? '')) return true;
  }
  return /\bhidden\b|display\s*:\s*none/i.test(el.attrs);
}

function render(node: Node, out: string[], skipFurniture: boolean): void {
  if (typeof node === 'string') {
    out.push(decodeEntities(node.replace(/\s+/g, ' ')));
    return;
  }
  if (NEVER_TEXT.has(node.tag) || (skipFurniture && isFurniture(node))) return;
  if (node.tag === 'br') {
    // A line break inside a block, not a paragraph break: no blank line.
    out.push('\n');
    return;
  }
  const block = BLOCK.has(node.tag);
  if (block) out.push('\n');
  if (node.tag === 'td' || node.tag === 'th') out.push(' ');
  for (const child of node.children) render(child, out, skipFurniture);
  if (block) out.push('\n');
}

function textOf(node: Node, skipFurniture: boolean): string {
  const out: string[] = [];
  render(node, out, skipFurniture);
  return out.join('').split('\n').map((l) => l.trim()).filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== '')).join('\n').trim();
}

interface Scored {
  el: Element;
  text: number;
  links: number;
}

/** Han characters and letters, the measure of prose; punctuation and spaces do not count. */
function prose(text: string): number {
  let n = 0;
  for (const ch of text) if (/[\p{L}\p{N}]/u.test(ch)) n++;
  return n;
}

function score(el: Element, all: Scored[]): Scored {
  let text = 0;
  let links = 0;
  for (const child of el.children) {
    if (typeof child === 'string') {
      text += prose(decodeEntities(child));
      continue;
    }
    if (isFurniture(child)) continue;
    const s = score(child, all);
    text += s.text;
    links += child.tag === 'a' ? s.text : s.links;
  }
  const scored = { el, text, links };
  all.push(scored);
  return scored;
}

/**
 * The article's text: the smallest element that still holds most of the page's non-link prose.
 * Menus are mostly links and footers are small, so the element that keeps 80% of the prose once
 * those are discounted is the article container on the pages these notices come from.
 */
export function htmlToText(html: string): PageText {
  const root = parseHtml(html);
  const all: Scored[] = [];
  const top = score(root, all);
  const total = top.text - top.links;
  let best: Scored = top;
  for (const s of all) {
    const own = s.text - s.links;
    if (own >= total * 0.8 && s.links <= s.text * 0.5 && depth(s.el) > depth(best.el)) best = s;
  }
  const title = pageTitle(root);
  const chromeText = textOf(root, false);
  return { text: textOf(best.el, true), title, chromeText };
}

function depth(el: Element): number {
  let d = 0;
  for (let p = el.parent; p !== null; p = p.parent) d++;
  return d;
}

/** The first element with this tag outside site furniture (a logo <h1> in the header is not the title). */
function find(el: Element, tag: string): Element | null {
  for (const child of el.children) {
    if (typeof child === 'string') continue;
    if (child.tag === tag) return child;
    if (tag !== 'title' && isFurniture(child)) continue;
    const hit = find(child, tag);
    if (hit !== null) return hit;
  }
  return null;
}

function pageTitle(root: Element): string | null {
  const h1 = find(root, 'h1');
  const h1Text = h1 === null ? '' : textOf(h1, false).replace(/\s+/g, ' ');
  if (prose(h1Text) >= 6) return h1Text;
  const title = find(root, 'title');
  const raw = title === null ? '' : title.children.filter((c): c is string => typeof c === 'string').join('');
  const titleText = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  // "<notice title> - <site name>": the site name is chrome.
  const first = titleText.split(/\s*(?:[-_|｜–—]{1,2})\s*/)[0] ?? '';
  return prose(first) >= 6 ? first : null;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** Markdown → plain lines. Numbered list markers stay: "1." is a heading marker in these notices. */
export function markdownToText(md: string): PageText {
  let text = md.replace(/\r\n?/g, '\n');
  let title: string | null = null;
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (front !== null) {
    const t = /^title\s*:\s*["']?(.+?)["']?\s*$/m.exec(front[1] ?? '');
    if (t !== null) title = t[1] ?? null;
    text = text.slice(front[0].length);
  }
  const lines = text.split('\n');
  const out: string[] = [];
  let fenced = false;
  for (const raw of lines) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    let line = raw;
    if (!fenced) {
      const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading !== null) {
        line = heading[2] ?? '';
        if (title === null && heading[1] === '#') title = line;
      }
      if (/^\s*([-*_]\s*){3,}$/.test(line)) line = '';
      line = line
        .replace(/^\s*>\s?/, '')
        .replace(/^\s*[-*+]\s+/, '')
        .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*/g, '$1$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/<[^>]+>/g, '')
        .replace(/^\s*\|(.*)\|\s*$/, (_, cells: string) => cells.split('|').map((c) => c.trim()).join(' '));
      if (/^[\s|:-]+$/.test(line) && line.includes('-') && line.includes('|')) line = '';
      line = decodeEntities(line);
    }
    out.push(line);
  }
  return { text: out.join('\n'), title, chromeText: '' };
}
