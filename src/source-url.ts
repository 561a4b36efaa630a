/**
 * Source URL: the page address a scraped file carries on its first line ("URL: https://…", as
 * scrapers commonly write it above the page text). The line is read from the bytes before
 * decoding (it is ASCII in every encoding we read) and blanked, keeping its line break so the
 * file's line numbers stay as they are.
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
