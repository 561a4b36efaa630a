/**
 * Source URL: the page address a scraped file carries on its first line ("URL: https://…", as
 * scrapers commonly write it above the page text), or a saved HTML page in its head (the
 * browser's `<!-- saved from url=… -->`, `<link rel="canonical">`, `<meta property="og:url">`).
 * Both are read from the bytes before decoding (URLs are ASCII in every encoding we read); the
 * first line is blanked, keeping its line break so the file's line numbers stay as they are.
 *
 * @example
 * const { url, bytes: rest } = takeUrlLine(bytes);
 * url; // 'https://wjw.zhuzhou.gov.cn/c1/2025/1.html'
 */

export interface UrlLine {
  url: string | null;
  /** The file's bytes with the URL line's text removed (the same bytes when there is none). */
  bytes: Uint8Array;
}

const BOM = [0xef, 0xbb, 0xbf];
/** How far into an HTML file its head is looked for. */
const HEAD_BYTES = 64 * 1024;
const HEAD_URL = [
  /<!--\s*saved from url=\(\d+\)(https?:\/\/[^\s>]+?)\s*-->/i,
  /<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']?(https?:\/\/[^"'\s>]+)/i,
  /<link\b[^>]*\bhref=["']?(https?:\/\/[^"'\s>]+)["']?[^>]*\brel=["']?canonical\b/i,
  /<meta\b[^>]*\bproperty=["']?og:url["']?[^>]*\bcontent=["']?(https?:\/\/[^"'\s>]+)/i,
];

/** The page's own address as a saved HTML page states it in its head, or null. */
export function htmlPageUrl(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, HEAD_BYTES));
  const end = head.search(/<body\b/i);
  const text = end < 0 ? head : head.slice(0, end);
  for (const pattern of HEAD_URL) {
    const m = pattern.exec(text);
    if (m === null) continue;
    try {
      return new URL((m[1] as string).replace(/&amp;/g, '&')).href;
    } catch {
      continue;
    }
  }
  return null;
}
const FIRST_LINE = /^\s*(?:url|source|来源网址)\s*[:：]\s*(https?:\/\/\S+)\s*$/i;

export function takeUrlLine(bytes: Uint8Array): UrlLine {
  const bom = BOM.every((b, i) => bytes[i] === b) ? BOM.length : 0;
  let end = bom;
  while (end < bytes.length && end - bom < 2048 && bytes[end] !== 0x0a) end++;
  const line = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(bom, end)).replace(/\r$/, '');
  const m = FIRST_LINE.exec(line);
  if (m === null) return { url: null, bytes };
  let url: string;
  try {
    url = new URL(m[1] as string).href;
  } catch {
    return { url: null, bytes };
  }
  const rest = new Uint8Array(bytes.length - (end - bom));
  rest.set(bytes.subarray(0, bom), 0);
  rest.set(bytes.subarray(end), bom);
  return { url, bytes: rest };
}
