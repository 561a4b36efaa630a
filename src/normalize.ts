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
const plainCache = new Map<string, string>();
const traditionalOnly = new Map<string, boolean>();
// The same caches for characters of one UTF-16 unit (nearly all), as arrays indexed by code: this
// runs on every character of every highlighted hit, and an array index is much cheaper than a
// string-keyed Map lookup, let alone OpenCC's converter (npm run bench, section "API overhead").
const plainBmp: Array<string | undefined> = new Array(0x10000);
/** 0 not yet known, 1 no, 2 yes. */
const traditionalBmp = new Uint8Array(0x10000);

function normalizeChar(ch: string, simplified?: string): string {
  if (simplified === undefined) {
    const bmp = ch.length === 1;
    let out = bmp ? plainBmp[ch.charCodeAt(0)] : plainCache.get(ch);
    if (out === undefined) {
      out = normalizeChar(ch, toSimplified(ch));
      if (bmp) plainBmp[ch.charCodeAt(0)] = out;
      else plainCache.set(ch, out);
    }
    return out;
  }
  const key = ch + '\u0000' + simplified;
  const cached = charCache.get(key);
  if (cached !== undefined) return cached;
  const out: string = toSimplified(simplified.normalize('NFKC')).toLowerCase();
  charCache.set(key, out);
  return out;
}

function isTraditionalOnly(ch: string): boolean {
  if (ch.length === 1) {
    const code = ch.charCodeAt(0);
    const known = traditionalBmp[code]!;
    if (known) return known === 2;
    const t = toSimplified(ch) !== ch;
    traditionalBmp[code] = t ? 2 : 1;
    return t;
  }
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
 * its result used where it keeps one character per character. Called only for a text that has
 * traditional characters (`hasTraditional`); a simplified text is left as is.
 */
function simplifiedChars(chars: string[]): string[] | undefined {
  const whole = Array.from(phrasesToSimplified(chars.join('')) as string);
  return whole.length === chars.length ? whole : undefined;
}

const BLANK = /^\s*$/u;
/** 0 not yet known, 1 no, 2 yes. */
const blankBmp = new Uint8Array(0x10000);

function isBlank(norm: string): boolean {
  if (norm.length !== 1) return BLANK.test(norm);
  const code = norm.charCodeAt(0);
  const known = blankBmp[code]!;
  if (known) return known === 2;
  const blank = BLANK.test(norm);
  blankBmp[code] = blank ? 2 : 1;
  return blank;
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
  // One pass over UTF-16 units with table lookups: this runs on every passage at index time and
  // on every highlighted hit at query time (npm run bench). Only a text with traditional
  // characters needs the code-point array that phrase conversion works on.
  const simplified = hasTraditional(original) ? simplifiedChars(Array.from(original)) : undefined;
  let text = '';
  const map: number[] = [];
  let pendingSpaceAt = -1;
  let last: string | undefined;
  const n = original.length;
  for (let offset = 0, k = 0; offset < n; k++) {
    const code = original.charCodeAt(offset);
    const pair = code >= 0xd800 && code <= 0xdbff && offset + 1 < n && isLowSurrogate(original.charCodeAt(offset + 1));
    const ch = pair ? original.slice(offset, offset + 2) : original[offset]!;
    const norm = simplified ? normalizeChar(ch, simplified[k]) : pair ? normalizeChar(ch) : (plainBmp[code] ?? normalizeChar(ch));
    if (isBlank(norm)) {
      if (pendingSpaceAt < 0 && last !== undefined) pendingSpaceAt = offset;
    } else {
      if (pendingSpaceAt >= 0 && keepsSpace(last, norm[0])) {
        text += ' ';
        map.push(pendingSpaceAt);
      }
      pendingSpaceAt = -1;
      text += norm;
      if (norm.length === 1) map.push(offset);
      else for (let j = 0; j < norm.length; j++) map.push(offset);
      last = norm.length === 1 ? norm : norm[norm.length - 1];
    }
    offset += ch.length;
  }
  return { text, map };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Whether any character of the text is traditional only (what `simplifiedChars` checks first). */
function hasTraditional(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      if (isTraditionalOnly(text.slice(i, i + 2))) return true;
      i++;
      continue;
    }
    const known = traditionalBmp[code]!;
    if (known ? known === 2 : isTraditionalOnly(text[i]!)) return true;
  }
  return false;
}

/** Per BMP code: 0 not yet known, -1 no one-unit normal form of its own (surrogate half, blank,
 * traditional, or several units), else 1 + the code of its normal form. */
const unitBmp = new Int32Array(0x10000);

/**
 * The normal form of `text` when normalizing keeps every offset: each UTF-16 unit becomes
 * exactly one unit (full-width → half-width, upper → lower case, or itself) and nothing is blank
 * or traditional. `normalizeWithMap` would then return the same text with the identity map, so
 * the highlighter needs no map: one table lookup per unit. Most passages qualify (their
 * full-width punctuation folds one for one); undefined for the rest.
 */
export function normalizeKeepingOffsets(text: string): string | undefined {
  const n = text.length;
  let out: Uint16Array | undefined;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    let unit = unitBmp[code]!;
    if (unit === 0) {
      if (code >= 0xd800 && code <= 0xdfff) unit = -1;
      else {
        const ch = text[i]!;
        const norm = normalizeChar(ch);
        unit = isTraditionalOnly(ch) || norm.length !== 1 || isBlank(norm) ? -1 : norm.charCodeAt(0) + 1;
      }
      unitBmp[code] = unit;
    }
    if (unit < 0) return undefined;
    if (unit - 1 !== code) {
      if (!out) {
        out = new Uint16Array(n);
        for (let k = 0; k < i; k++) out[k] = text.charCodeAt(k);
      }
      out[i] = unit - 1;
    } else if (out) out[i] = code;
  }
  if (!out) return text;
  let s = '';
  for (let k = 0; k < n; k += 4096) s += String.fromCharCode(...out.subarray(k, k + 4096));
  return s;
}

export function normalize(text: string): string {
  return normalizeWithMap(text).text;
}
