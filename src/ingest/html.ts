/** HTML: a page → the text of its article block, its title and the text around it. */
import { isTitleLine, wrappedTitleLength } from '../title.ts';

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
const FURNITURE = /(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|foot|bottom|header|topbar|sidebar|banner|copyright|share|fenxiang|bshare|toolbar|tools|position|location|weizhi|dqwz|related|xgwz|xglj|ewm|qrcode|welcome|login|search)([\s_-]|\d|$)/i;
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
  const text = textOf(best.el, true);
  return { text: withTitleAbove(text, textOf(root, true)), title, chromeText };
}

/**
 * The block's text with the title above it put back in front, when the block starts without one:
 * many sites keep the title (an h2, a table cell, a div) and the meta line outside the element
 * that holds the text. The lines from the nearest title line above down to the block come along;
 * the meta lines among them are read and dropped as chrome later.
 */
function withTitleAbove(text: string, page: string): string {
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines.length === 0 || lines.slice(0, 6).some(isTitleLine)) return text;
  const all = page.split('\n');
  const at = all.indexOf(lines[0] as string);
  for (let k = at - 1; k >= 0 && k >= at - 15; k--) {
    if (!isTitleLine(all[k] as string)) continue;
    let from = k;
    // A title wrapped inside its element (<br>) arrives as two or three lines.
    for (let n = 3; n >= 2; n--) {
      if (k - n + 1 >= 0 && wrappedTitleLength(all.slice(k - n + 1, k + 1)) === n) {
        from = k - n + 1;
        break;
      }
    }
    return [...all.slice(from, at), text].join('\n');
  }
  return text;
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

/** Names of a site or an organisation, as a logo or the <title> of a section page shows them. */
const SITE_NAME = /(医院|委员会|政府|局|中心|委|网|网站|门户|官网|平台|纪委监委)$/;

/**
 * The page's own title: the <h1> outside the site furniture, unless it is only the site's name (a
 * logo); else the <title> when it reads as a notice's title ("<title> - <site>" cut at the dash).
 */
function pageTitle(root: Element): string | null {
  const h1 = find(root, 'h1');
  const h1Text = h1 === null ? '' : textOf(h1, false).replace(/\s+/g, ' ');
  if (prose(h1Text) >= 6 && (isTitleLine(h1Text) || !SITE_NAME.test(h1Text))) return h1Text;
  const title = find(root, 'title');
  const raw = title === null ? '' : title.children.filter((c): c is string => typeof c === 'string').join('');
  const titleText = decodeEntities(raw).replace(/\s+/g, ' ').trim();
  // "<notice title> - <site name>": the site name is chrome.
  const first = titleText.split(/\s*(?:[-_|｜–—]{1,2})\s*/)[0] ?? '';
  return prose(first) >= 6 && isTitleLine(first) ? first : null;
}
