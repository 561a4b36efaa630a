/**
 * Ideographs: the characters a PDF's fonts name wrongly, put back to the ones people type.
 *
 * Chinese PDFs written by common office software often map a glyph to a Kangxi radical
 * (U+2F00–U+2FD5: ⽣ for 生, ⼈ for 人, ⾏ for 行) or to a CJK radicals-supplement form (⻔ for 门,
 * ⺠ for 民) instead of the ideograph, because the font's glyph is shared; a CJK compatibility
 * ideograph (U+F900–U+FAFF) is the same slip. The text looks right and exact search for 生 or 门
 * misses it. Unicode's NFKC maps the Kangxi radicals and compatibility ideographs to their
 * ideographs; it leaves the supplement forms alone, so the complete characters among those
 * (simplified forms that stand on their own) are mapped here: no npm package carries this table.
 *
 * @example
 * unifyIdeographs('⼈⺠群众反映的问题'); // '人民群众反映的问题'
 */

/** Radicals-supplement forms that are whole characters, and the character. */
const SUPPLEMENT: Record<string, string> = {
  '⺠': '民', '⺟': '母', '⻁': '虎', '⻄': '西', '⻅': '见', '⻆': '角', '⻉': '贝', '⻋': '车', '⻓': '长',
  '⻔': '门', '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食', '⻢': '马', '⻣': '骨',
  '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻨': '麦', '⻩': '黄', '⻬': '齐', '⻮': '齿', '⻰': '龙', '⻳': '龟',
};

const MISNAMED = /[\u2e80-\u2ef3\u2f00-\u2fd5\uf900-\ufaff]/g;

export function unifyIdeographs(text: string): string {
  return text.replace(MISNAMED, (ch) => SUPPLEMENT[ch] ?? ch.normalize('NFKC'));
}

/** The share of characters that are no text at all: private-use glyph codes, U+FFFD, controls. */
export function unreadableShare(text: string): number {
  let bad = 0;
  let all = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    all++;
    if (/[\ue000-\uf8ff\ufffd\u0000-\u001f]/.test(ch)) bad++;
  }
  return all === 0 ? 0 : bad / all;
}
