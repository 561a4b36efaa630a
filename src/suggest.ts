/**
 * Completions for what a user has typed: indexed terms that contain it, those starting with it
 * first, then the ones found in most passages.
 */
import type { Engine } from './engine/port.ts';
import { charCode, termPhrase } from './grams.ts';
import { normalize } from './normalize.ts';
import { INDEX } from './settings.ts';
import type { TermDoc } from './documents.ts';

export async function suggest(engine: Engine, typed: string, limit: number): Promise<string[]> {
  const text = normalize(typed);
  if (!text) return [];
  const q = Array.from(text).length === 1 ? charCode(text) : termPhrase(text);
  const res = await engine.index<TermDoc>(INDEX.terms).search({ q, limit, attributesToRetrieve: ['term'] });
  return res.hits.map((h) => h.term);
}
