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
// Taiwan phrases (著力 → 着力) need the tw table; it is used on whole traditional texts only,
// where its phrase dictionary keeps 著名 as it is.
const phrasesToSimplified = Converter({ from: 'tw', to: 'cn' });
const charCache = new Map<string, string>();
const traditionalOnly = new Map<string, boolean>();

function normalizeChar(ch: string, simplified = toSimplified(ch)): string {
  const key = ch + '\u0000' + simplified;
  const cached = charCache.get(key);
  if (cached !== undefined) return cached;
  const out: string = toSimplified(simplified.normalize('NFKC')).toLowerCase();
  charCache.set(key, out);
  return out;
}

function isTraditionalOnly(ch: string): boolean {
  let t = traditionalOnly.get(ch);
  if (t === undefined) {
    t = toSimplified(ch) !== ch;
    traditionalOnly.set(ch, t);
  }
  return t;
}

/**
 * Simplified form of each character of `chars`. Some characters convert by phrase (著力 → 着力
 * in a traditional text), so a text that has traditional characters is converted whole, and
 * its result used where it keeps one character per character; a simplified text is left as is.
 */
function simplifiedChars(chars: string[]): string[] | undefined {
  if (!chars.some(isTraditionalOnly)) return undefined;
  const whole = Array.from(phrasesToSimplified(chars.join('')));
  return whole.length === chars.length ? whole : undefined;
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
  const chars = Array.from(original);
  const simplified = simplifiedChars(chars);
  for (const [i, ch] of chars.entries()) {
    const norm = normalizeChar(ch, simplified?.[i]);
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
