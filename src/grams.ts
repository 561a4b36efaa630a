/**
 * Exact substring search on top of a word-based engine.
 *
 * Meilisearch matches words. Chinese has no spaces, its jieba-style segmentation cuts a term
 * differently in different contexts (so recall is lost), and its prefix/typo/segment matching
 * returns passages that merely share characters (so precision is lost). Instead, each character
 * of the normalized text is written as a fixed-width code word made of Latin letters, and the
 * text is indexed as one word per position: the codes of that character and the next one (a
 * bigram; the last character pairs with an end mark).
 *
 * A term of two or more characters is then the phrase of its bigrams, which Meilisearch matches
 * only at consecutive positions; a one-character term is the prefix of the bigrams that start
 * with it. Because every code has the same width, no word is a segment or typo of another, and
 * the engine's own segmentation and normalization never touch Chinese. Our normalization
 * (`normalize.ts`) is applied to both sides instead. Every code starts with a, b or c (code
 * points stop at U+10FFFF), so words of our own (synonym groups) start with z.
 *
 * Meilisearch checks a phrase through the pairs of words in windows of three, so a phrase of up
 * to three bigrams (a term of up to four characters) is matched exactly; longer terms are
 * checked against the text afterwards (see `search.ts`).
 */

const CODE_WIDTH = 5;
const A = 97;

/** The code word of one character (by code point): five letters a–z, base 26. */
export function charCode(ch: string): string {
  let n = ch.codePointAt(0) ?? 0;
  let out = '';
  for (let i = 0; i < CODE_WIDTH; i++) {
    out = String.fromCharCode(A + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

const END = charCode('\u0003');

/** Normalized text → its bigram words, space separated. */
export function encodeText(norm: string): string {
  const codes = Array.from(norm, charCode);
  if (codes.length === 0) return '';
  codes.push(END);
  const grams: string[] = [];
  for (let i = 0; i + 1 < codes.length; i++) grams.push(codes[i]! + codes[i + 1]!);
  return grams.join(' ');
}

/** A normalized term → the Meilisearch phrase that matches exactly the texts containing it. */
export function termPhrase(term: string): string {
  const codes = Array.from(term, charCode);
  if (codes.length === 0) throw new Error('empty term');
  if (codes.length === 1) return `"${codes[0]}"`;
  const grams: string[] = [];
  for (let i = 0; i + 1 < codes.length; i++) grams.push(codes[i]! + codes[i + 1]!);
  return `"${grams.join(' ')}"`;
}

/** Whether the engine's phrase match alone is exact for this term (see the module comment). */
export function phraseIsExact(term: string): boolean {
  return Array.from(term).length <= 4;
}
