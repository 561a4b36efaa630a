/**
 * A user's query → the terms every hit must contain, and the Meilisearch `q` that finds exactly
 * the passages containing all of them.
 *
 * Syntax: terms separated by spaces must all occur, in any order; "a quoted phrase" is one term.
 * Case, width and traditional/simplified characters do not matter (see normalize.ts).
 */
import { normalize } from './normalize.ts';
import { charCode, termPhrase, phraseIsExact } from './grams.ts';
import type { SynonymIndex } from './synonyms.ts';
import { CodedError } from './errors.ts';

const MAX_QUERY_CHARS = 200;
const MAX_TERMS = 10;

export class QueryError extends CodedError<'QUERY_TOO_LONG' | 'QUERY_TOO_MANY_TERMS' | 'QUERY_SINGLE_CHARS'> {
  override readonly name = 'QueryError';
}

export interface Term {
  /** Normalized term. */
  text: string;
  /** Every normalized form a hit may contain for this term: the term and its declared synonyms. */
  forms: string[];
  /** Set when the term is a member of a synonym group: the group's index word. */
  groupWord: string | null;
}

export interface ParsedQuery {
  terms: Term[];
  /** The engine query; '' for a search without terms (browse by filters). */
  engineQuery: string;
  /** Whether hits must be checked against the text because a long phrase is not exact in the engine. */
  needsCheck: boolean;
}

const QUOTES = /["＂]([^"＂]*)["＂]?/g;

function rawTerms(q: string): string[] {
  const out: string[] = [];
  const rest = q.replace(QUOTES, (_, phrase: string) => {
    out.push(phrase);
    return ' ';
  });
  for (const part of rest.split(/[\s\u3000]+/u)) if (part) out.push(part);
  return out;
}

export function parseQuery(q: string, synonyms: SynonymIndex): ParsedQuery {
  if (q.length > MAX_QUERY_CHARS) {
    throw new QueryError('QUERY_TOO_LONG', `q: at most ${MAX_QUERY_CHARS} characters (got ${q.length})`);
  }
  const seen = new Set<string>();
  const terms: Term[] = [];
  for (const raw of rawTerms(q)) {
    const text = normalize(raw);
    if (!text || seen.has(text)) continue;
    seen.add(text);
    const group = synonyms.groupOf(text);
    terms.push({ text, forms: group ? group.members : [text], groupWord: group ? group.word : null });
  }
  if (terms.length > MAX_TERMS) {
    throw new QueryError('QUERY_TOO_MANY_TERMS', `q: at most ${MAX_TERMS} terms (got ${terms.length})`);
  }
  const singles = terms.filter((t) => !t.groupWord && Array.from(t.text).length === 1);
  if (singles.length > 1) {
    throw new QueryError(
      'QUERY_SINGLE_CHARS',
      `q: at most one single-character term per query (got ${singles.map((t) => t.text).join(', ')}); join them into a phrase or add context`,
    );
  }
  const parts: string[] = [];
  for (const t of terms) {
    if (t.groupWord) parts.push(`"${t.groupWord}"`);
    else if (singles[0] !== t) parts.push(termPhrase(t.text));
  }
  // A single character is any bigram that starts with it: the engine's prefix match on the last word.
  if (singles[0]) parts.push(charCode(singles[0].text));
  const needsCheck = terms.some((t) => t.forms.some((f) => !phraseIsExact(f)) && !t.groupWord);
  return { terms, engineQuery: parts.join(' '), needsCheck };
}

/** Whether a passage's normalized text satisfies every term (the definition of a correct hit). */
export function matchesAll(normText: string, terms: Term[]): boolean {
  return terms.every((t) => t.forms.some((f) => normText.includes(f)));
}
