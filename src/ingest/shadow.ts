/** Shadow: a simplified, half-width copy of a text with the original's offsets, for matching. */
import { Converter } from 'opencc-js/t2cn';

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

/** Equal once simplified, half-width and without white space. */
export function sameText(a: string, b: string): boolean {
  const squash = (s: string) => shadow(s).replace(/\s+/g, '');
  return squash(a) === squash(b);
}
