/**
 * Pinyin suggestions, measured at the HTTP API: for each term, where `/api/suggest` puts it when
 * the term is typed as its full pinyin (yigongti), spaced (yi gong ti), as its initials (ygt),
 * and as its first character then initials (医gt). The pinyin typed is pinyin-pro's contextual
 * reading of the term, as an input method would spell it.
 */
import { pinyin } from 'pinyin-pro';
import type { Stack } from '../helpers/stack.ts';

export const PINYIN_WAYS = ['full', 'spaced', 'initials', 'mixed'] as const;
export type PinyinWay = (typeof PINYIN_WAYS)[number];

export interface PinyinResult {
  term: string;
  typed: Record<PinyinWay, string>;
  /** 1-based rank of the term among the suggestions, or null when it is not among them. */
  rank: Record<PinyinWay, number | null>;
}

export function typings(term: string): Record<PinyinWay, string> {
  const syllables = pinyin(term, { type: 'array', toneType: 'none', v: true });
  const initials = syllables.map((s) => s[0]).join('');
  return {
    full: syllables.join(''),
    spaced: syllables.join(' '),
    initials,
    mixed: Array.from(term)[0] + initials.slice(1),
  };
}

export async function evaluatePinyin(stack: Stack, terms: string[], limit = 10): Promise<PinyinResult[]> {
  const out: PinyinResult[] = [];
  for (const term of terms) {
    const typed = typings(term);
    const rank = {} as Record<PinyinWay, number | null>;
    for (const way of PINYIN_WAYS) {
      const { status, body } = await stack.call(`/api/suggest?q=${encodeURIComponent(typed[way])}&limit=${limit}`);
      if (status !== 200) throw new Error(`suggest ${typed[way]}: ${status} ${JSON.stringify(body)}`);
      const i = (body.suggestions as string[]).indexOf(term);
      rank[way] = i >= 0 ? i + 1 : null;
    }
    out.push({ term, typed, rank });
  }
  return out;
}

export function pinyinTable(results: PinyinResult[], top = 5): string {
  const cell = (r: PinyinResult, w: PinyinWay) => `${r.typed[w]} → ${r.rank[w] ?? '–'}`;
  const within = (w: PinyinWay) => results.filter((r) => r.rank[w] !== null && r.rank[w]! <= top).length;
  return [
    `| term | ${PINYIN_WAYS.join(' | ')} |`,
    `|---|${PINYIN_WAYS.map(() => '---').join('|')}|`,
    ...results.map((r) => `| ${r.term} | ${PINYIN_WAYS.map((w) => cell(r, w)).join(' | ')} |`),
    `| **in the top ${top}** | ${PINYIN_WAYS.map((w) => `**${within(w)}/${results.length}**`).join(' | ')} |`,
  ].join('\n');
}
