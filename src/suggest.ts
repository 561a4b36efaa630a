/**
 * Completions for what a user has typed: indexed terms that contain it, those starting with it
 * first, then the ones found in most passages; and when it reads as pinyin (yigongti, ygt,
 * yi gong ti, 医gt: see pinyin.ts), the terms it spells, whole readings first, then the commonest.
 */
import type { Engine } from './engine/port.ts';
import { charCode, termPhrase } from './grams.ts';
import { normalize } from './normalize.ts';
import { isPinyinInput, matchesPinyin, typedKeys } from './pinyin.ts';
import { INDEX } from './settings.ts';
import type { TermDoc } from './documents.ts';

/** Pinyin candidates fetched per key before they are checked against what was typed. */
const PINYIN_CANDIDATES = 100;

export async function suggest(engine: Engine, typed: string, limit: number): Promise<string[]> {
  const text = normalize(typed);
  if (!text) return [];
  const q = Array.from(text).length === 1 ? charCode(text) : termPhrase(text);
  const terms = engine.index<TermDoc>(INDEX.terms);
  const search = (q: string, limit: number, on: 'grams' | 'py') =>
    terms.search({ q, limit, attributesToSearchOn: [on], attributesToRetrieve: ['term', 'weight'] });
  const literal = search(q, limit, 'grams');
  if (!isPinyinInput(typed)) return (await literal).hits.map((h) => h.term);

  const keyed = typedKeys(typed).map((key) => search(key, PINYIN_CANDIDATES, 'py'));
  const [exact, ...byKey] = await Promise.all([literal, ...keyed]);
  const spelled = new Map<string, { weight: number; whole: boolean }>();
  for (const res of byKey) {
    for (const h of res.hits) {
      const how = matchesPinyin(h.term, typed);
      if (how) spelled.set(h.term, { weight: h.weight, whole: how === 'whole' });
    }
  }
  const ranked = [...spelled].sort((a, b) => Number(b[1].whole) - Number(a[1].whole) || b[1].weight - a[1].weight).map(([t]) => t);
  // What was typed as letters may itself be a term (icu, drg): those first.
  return [...new Set([...exact.hits.map((h) => h.term), ...ranked])].slice(0, limit);
}
