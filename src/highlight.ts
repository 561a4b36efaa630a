/**
 * `<mark>` around every occurrence of a term in the original text; everything else escaped.
 * Matching happens on the normalized form, so 醫共體 and ＩＣＵ are marked for 医共体 and icu.
 */
import { normalizeKeepingOffsets, normalizeWithMap } from './normalize.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Spans [start, end) of the original text where any of `forms` (normalized) occurs. */
export function matchSpans(original: string, forms: readonly string[]): Array<[number, number]> {
  // Most texts normalize one unit for one: then offsets are the same on both sides, and the
  // per-character map (the highlighter's main cost, npm run bench) is not needed.
  const same = normalizeKeepingOffsets(original);
  const { text, map } = same !== undefined ? { text: same, map: undefined } : normalizeWithMap(original);
  const spans: Array<[number, number]> = [];
  for (const form of forms) {
    if (!form) continue;
    for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) {
      if (!map) {
        spans.push([i, i + form.length]);
        continue;
      }
      const last = map[i + form.length - 1]!;
      const lastLen = (original.codePointAt(last) ?? 0) > 0xffff ? 2 : 1;
      spans.push([map[i]!, last + lastLen]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const prev = merged[merged.length - 1];
    if (prev && s[0] <= prev[1]) prev[1] = Math.max(prev[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

export function highlight(original: string, forms: readonly string[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of matchSpans(original, forms)) {
    out += escapeHtml(original.slice(at, start)) + '<mark>' + escapeHtml(original.slice(start, end)) + '</mark>';
    at = end;
  }
  return out + escapeHtml(original.slice(at));
}
