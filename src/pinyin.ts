/**
 * Pinyin for the suggestion vocabulary, so that a user whose input method is off (or who types
 * on a phone) finds 医共体 by typing yigongti, yi gong ti, ygt or 医gt.
 *
 * At index time each term gets its keys (`pinyinKeys`): its full pinyin run together (yigongti)
 * and its initials (ygt), for the reading pinyin-pro gives it in context (重庆 chongqing, 重点
 * zhongdian, 银行 yinhang) and for the other readings of its polyphonic characters. At query
 * time what was typed becomes keys of the same kind (`typedKeys`: a typed character becomes its
 * pinyin), the engine finds the terms with a key that starts with one, and pinyin-pro's `match`
 * confirms each candidate against exactly what was typed (`matchesPinyin`: a typed character
 * must be that character, a syllable may be cut short).
 *
 * ü is written u on both sides (lüse and lvse are typed luse and lvse; both find 绿色).
 */
import { match, pinyin } from 'pinyin-pro';

/** At most this many readings of one term get keys (the contextual one first). */
const MAX_READINGS = 6;

const HAN = /\p{Script=Han}/u;
/** Terms that get keys: Han characters and Latin letters only (pinyin of digits or signs means nothing). */
const KEYABLE = /^[\p{Script=Han}a-z]+$/u;
/** Input read as pinyin: Latin letters, with perhaps Han characters, spaces and apostrophes. */
const PINYIN_INPUT = /^[\p{Script=Han}a-z\s'’]*[a-z][\p{Script=Han}a-z\s'’]*$/u;

const plain = (syllable: string) => syllable.toLowerCase().replace(/ü/g, 'u');

// A few thousand distinct characters cover any vocabulary: read each once.
const charCache = new Map<string, string[]>();

function charReadings(ch: string): string[] {
  if (!HAN.test(ch)) return [ch];
  let all = charCache.get(ch);
  if (!all) {
    all = [...new Set(pinyin(ch, { multiple: true, type: 'array', toneType: 'none' }).map(plain))];
    charCache.set(ch, all);
  }
  return all;
}

/** A term's readings, one syllable per character: the contextual reading first, then each polyphonic character read otherwise. */
export function readings(term: string): string[][] {
  const chars = Array.from(term);
  const contextual = pinyin(term, { type: 'array', toneType: 'none' }).map(plain);
  // pinyin-pro reads a non-Han character as itself; keep one syllable per character.
  const first = contextual.length === chars.length ? contextual : chars.map((ch) => charReadings(ch)[0]!);
  const out = [first];
  const seen = new Set([first.join(' ')]);
  for (let i = 0; i < chars.length && out.length < MAX_READINGS; i++) {
    for (const alt of charReadings(chars[i]!)) {
      const r = [...first];
      r[i] = alt;
      const key = r.join(' ');
      if (seen.has(key) || out.length >= MAX_READINGS) continue;
      seen.add(key);
      out.push(r);
    }
  }
  return out;
}

/** The index words of a term: full pinyin and initials of each reading; none for terms with digits or signs. */
export function pinyinKeys(term: string): string[] {
  if (!KEYABLE.test(term) || !HAN.test(term)) return [];
  const keys = new Set<string>();
  for (const r of readings(term)) {
    keys.add(r.join(''));
    keys.add(r.map((s) => s[0]).join(''));
  }
  return [...keys];
}

/** Whether what was typed is to be read as pinyin. */
export function isPinyinInput(typed: string): boolean {
  return PINYIN_INPUT.test(typed.toLowerCase());
}

/** What was typed, as pinyin-pro's `match` and the keys read it: lower case, v for ü written u. */
function typedPinyin(typed: string): string {
  return typed.toLowerCase().replace(/’/g, "'").replace(/v/g, 'u').trim();
}

/**
 * Prefixes of index keys that every matching term has one of: typed characters become their
 * full pinyin or their initial (all one way: yigongti and 医gongti, ygt and 医gt).
 */
export function typedKeys(typed: string): string[] {
  const chars = Array.from(typedPinyin(typed).replace(/[\s']/g, ''));
  let full = [''];
  let initials = [''];
  for (const ch of chars) {
    const options = charReadings(ch).slice(0, 3);
    full = full.flatMap((k) => options.map((o) => k + o)).slice(0, 8);
    initials = initials.flatMap((k) => options.map((o) => k + o[0])).slice(0, 8);
  }
  return [...new Set([...full, ...initials])].filter(Boolean);
}

/** Whether `term`, from its first character on, reads as what was typed (syllables may be cut short). */
export function matchesPinyin(term: string, typed: string): 'whole' | 'start' | null {
  const m = match(term, typedPinyin(typed), { continuous: true });
  if (!m || m[0] !== 0) return null;
  return m.length === Array.from(term).length ? 'whole' : 'start';
}
