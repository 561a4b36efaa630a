/**
 * The searchable form of text. Index and query go through the same function, so a term matches
 * exactly when its normal form is a substring of the passage's normal form.
 *
 * Normalization is done one character at a time (NFKC width folding, traditional → simplified,
 * lower case, whitespace folding) so that every normalized character maps back to a span of the
 * original; highlights are drawn on the original text through that map.
 */
import { Converter } from 'opencc-js/t2cn';

const toSimplified = Converter({ from: 'hk', to: 'cn' });
const charCache = new Map<string, string>();

function normalizeChar(ch: string): string {
  const cached = charCache.get(ch);
  if (cached !== undefined) return cached;
  const out: string = toSimplified(ch.normalize('NFKC')).toLowerCase();
  charCache.set(ch, out);
  return out;
}

const WORDISH = /[\p{L}\p{N}]/u;
const HAN = /\p{Script=Han}/u;

/** Space survives only between two non-Han letters or digits ("icu ward"), never next to Han. */
function keepsSpace(before: string | undefined, after: string | undefined): boolean {
  if (before === undefined || after === undefined) return false;
  return WORDISH.test(before) && WORDISH.test(after) && !HAN.test(before) && !HAN.test(after);
}

export interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`, the UTF-16 offset of the original character it came from. */
  map: number[];
}

export function normalizeWithMap(original: string): Normalized {
  const parts: string[] = [];
  const map: number[] = [];
  let pendingSpaceAt = -1;
  let last: string | undefined;
  let offset = 0;
  for (const ch of original) {
    const norm = normalizeChar(ch);
    if (/^\s*$/u.test(norm)) {
      if (pendingSpaceAt < 0 && last !== undefined) pendingSpaceAt = offset;
    } else {
      if (pendingSpaceAt >= 0 && keepsSpace(last, norm[0])) {
        parts.push(' ');
        map.push(pendingSpaceAt);
      }
      pendingSpaceAt = -1;
      parts.push(norm);
      for (let i = 0; i < norm.length; i++) map.push(offset);
      last = norm[norm.length - 1];
    }
    offset += ch.length;
  }
  return { text: parts.join(''), map };
}

export function normalize(text: string): string {
  return normalizeWithMap(text).text;
}
