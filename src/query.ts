/**
 * A user's query → what every hit must contain and must not, and the Meilisearch `q` that finds
 * exactly the passages containing the required terms.
 *
 * Syntax (the search box's 高级检索, written inline):
 * - terms separated by spaces must all occur, in any order;
 * - `"a quoted phrase"` is one term (spaces inside are kept out, as everywhere);
 * - `a | b` means either: `|` binds tighter than the space, so `医共体 人才 | 编制` is
 *   医共体 AND (人才 OR 编制);
 * - `-term` (or `-"phrase"`) excludes every passage that contains it; a `-` inside a word
 *   (`covid-19`) is part of the word.
 * Full-width ＂ ｜ － work the same (curly quotes are text). Case, width and traditional/simplified
 * characters do not matter (see normalize.ts). Anything else that cannot be read is a
 * QueryError saying what is wrong, which the API answers with a 400.
 */
import { normalize } from './normalize.ts';
import { charCode, termPhrase, phraseIsExact } from './grams.ts';
import type { SynonymIndex } from './synonyms.ts';
import { CodedError } from './errors.ts';

const MAX_QUERY_CHARS = 200;
const MAX_TERMS = 10;

export class QueryError extends CodedError<'QUERY_TOO_LONG' | 'QUERY_TOO_MANY_TERMS' | 'QUERY_SINGLE_CHARS' | 'QUERY_SYNTAX' | 'QUERY_TOO_BROAD'> {
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
  /** Terms every hit contains. */
  terms: Term[];
  /** Groups of two or more alternatives: every hit contains at least one term of each group. */
  anyOf: Term[][];
  /** Terms no hit contains. */
  excluded: Term[];
  /** The engine query for `terms`; '' when there are none (browse by filters, or alternatives only). */
  engineQuery: string;
  /** Whether the engine query alone can return a passage that lacks a required term (a long phrase). */
  needsCheck: boolean;
  /** Forms to highlight in a hit: those of the required terms and of every alternative. */
  marks: string[];
}

type Token =
  | { kind: 'word'; raw: string; at: number }
  | { kind: 'or'; at: number }
  | { kind: 'not'; at: number };

const SPACE = /[\s\u3000]/u;
// Curly quotes are text: the notices quote their slogans with them (“一岗双责”), and a search
// for 开展“回头看” should find the passages that say so.
const QUOTE = new Set(['"', '＂']);
const BAR = new Set(['|', '｜']);
const MINUS = new Set(['-', '－']);

/** Messages name characters by 1-based position, which a user can count. */
function syntaxError(message: string): QueryError {
  return new QueryError('QUERY_SYNTAX', `q: ${message}`);
}

function tokenize(q: string): Token[] {
  const chars = Array.from(q);
  const out: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    if (BAR.has(ch)) {
      out.push({ kind: 'or', at: i + 1 });
      i++;
      continue;
    }
    // A minus starts an exclusion only at the start of a word; inside one (covid-19) it is text.
    if (MINUS.has(ch)) {
      const next = chars[i + 1];
      if (next === undefined || SPACE.test(next) || BAR.has(next) || MINUS.has(next)) {
        throw syntaxError(`"-" at character ${i + 1} must be followed directly by the term to exclude, e.g. 医共体 -紧密型`);
      }
      out.push({ kind: 'not', at: i + 1 });
      i++;
      continue;
    }
    if (QUOTE.has(ch)) {
      let j = i + 1;
      while (j < chars.length && !QUOTE.has(chars[j]!)) j++;
      if (j >= chars.length) throw syntaxError(`the quote at character ${i + 1} is not closed`);
      out.push({ kind: 'word', raw: chars.slice(i + 1, j).join(''), at: i + 1 });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < chars.length && !SPACE.test(chars[j]!) && !BAR.has(chars[j]!) && !QUOTE.has(chars[j]!)) j++;
    out.push({ kind: 'word', raw: chars.slice(i, j).join(''), at: i + 1 });
    i = j;
  }
  return out;
}

interface RawClause {
  negated: boolean;
  alternatives: Array<{ raw: string; at: number }>;
}

/** Tokens → clauses (ANDed); within a clause, alternatives joined by `|`. */
function clauses(tokens: Token[]): RawClause[] {
  const out: RawClause[] = [];
  let i = 0;
  const expectWord = (after: string): { raw: string; at: number; negated: boolean } => {
    const t = tokens[i];
    if (!t) throw syntaxError(`${after} must be followed by a term`);
    if (t.kind === 'or') throw syntaxError(`"|" at character ${t.at} needs a term on each side`);
    if (t.kind === 'not') {
      const w = tokens[i + 1];
      if (!w || w.kind !== 'word') throw syntaxError(`"-" at character ${t.at} must be followed directly by the term to exclude`);
      i += 2;
      return { raw: w.raw, at: w.at, negated: true };
    }
    i++;
    return { raw: t.raw, at: t.at, negated: false };
  };
  while (i < tokens.length) {
    const first = tokens[i]!;
    if (first.kind === 'or') throw syntaxError(`"|" at character ${first.at} needs a term on each side`);
    const w = expectWord('the query');
    const clause: RawClause = { negated: w.negated, alternatives: [{ raw: w.raw, at: w.at }] };
    while (tokens[i]?.kind === 'or') {
      const bar = tokens[i]!;
      i++;
      if (i >= tokens.length) throw syntaxError(`"|" at character ${bar.at} needs a term on each side`);
      const alt = expectWord(`"|" at character ${bar.at}`);
      if (alt.negated || clause.negated) {
        throw syntaxError(`"|" at character ${bar.at} joins an excluded term; write the exclusions apart, e.g. 医共体 | 医联体 -紧密型`);
      }
      clause.alternatives.push({ raw: alt.raw, at: alt.at });
    }
    out.push(clause);
  }
  return out;
}

/** The engine query that finds the passages containing every one of `terms` (phrases; a single character last, as a prefix). */
export function enginePhrases(terms: readonly Term[]): string {
  const parts: string[] = [];
  let single: Term | undefined;
  for (const t of terms) {
    if (t.groupWord) parts.push(`"${t.groupWord}"`);
    else if (Array.from(t.text).length === 1) single = t;
    else parts.push(termPhrase(t.text));
  }
  // A single character is any bigram that starts with it: the engine's prefix match on the last word.
  if (single) parts.push(charCode(single.text));
  return parts.join(' ');
}

/** Whether the engine's match for `terms` can include a passage that lacks one (see grams.ts). */
function phrasesNeedCheck(terms: readonly Term[]): boolean {
  return terms.some((t) => !t.groupWord && t.forms.some((f) => !phraseIsExact(f)));
}

export function parseQuery(q: string, synonyms: SynonymIndex): ParsedQuery {
  if (q.length > MAX_QUERY_CHARS) {
    throw new QueryError('QUERY_TOO_LONG', `q: at most ${MAX_QUERY_CHARS} characters (got ${q.length})`);
  }
  const toTerm = (raw: string): Term | null => {
    const text = normalize(raw);
    if (!text) return null;
    const group = synonyms.groupOf(text);
    return { text, forms: group ? group.members : [text], groupWord: group ? group.word : null };
  };
  // Two terms are one when they are the same text or members of one synonym group.
  const key = (t: Term) => t.groupWord ?? t.text;

  const terms: Term[] = [];
  const anyOf: Term[][] = [];
  const excluded: Term[] = [];
  const seen = new Set<string>();
  const seenExcluded = new Set<string>();
  const seenGroups = new Set<string>();
  for (const c of clauses(tokenize(q))) {
    const alts: Term[] = [];
    const inClause = new Set<string>();
    for (const a of c.alternatives) {
      const t = toTerm(a.raw);
      if (!t) {
        if (c.alternatives.length > 1) throw syntaxError(`the alternative at character ${a.at} is empty`);
        continue;
      }
      if (!inClause.has(key(t))) alts.push(t);
      inClause.add(key(t));
    }
    if (alts.length === 0) continue;
    if (c.negated) {
      if (!seenExcluded.has(key(alts[0]!))) excluded.push(alts[0]!);
      seenExcluded.add(key(alts[0]!));
    } else if (alts.length === 1) {
      if (!seen.has(key(alts[0]!))) terms.push(alts[0]!);
      seen.add(key(alts[0]!));
    } else {
      const groupKey = alts.map(key).sort().join('\u0000');
      if (!seenGroups.has(groupKey)) anyOf.push(alts);
      seenGroups.add(groupKey);
    }
  }
  // A group with a required member is satisfied by every hit: it adds nothing.
  const needed = anyOf.filter((g) => !g.some((t) => seen.has(key(t))));
  const all = [...terms, ...needed.flat(), ...excluded];
  if (all.length > MAX_TERMS) {
    throw new QueryError('QUERY_TOO_MANY_TERMS', `q: at most ${MAX_TERMS} terms (got ${all.length})`);
  }
  if (excluded.length && !terms.length && !needed.length) {
    throw syntaxError('a query needs at least one term to search for; "-" only excludes, e.g. 医共体 -紧密型');
  }
  const singles = all.filter((t) => !t.groupWord && Array.from(t.text).length === 1);
  if (singles.length > 1) {
    throw new QueryError(
      'QUERY_SINGLE_CHARS',
      `q: at most one single-character term per query (got ${singles.map((t) => t.text).join(', ')}); join them into a phrase or add context`,
    );
  }
  return {
    terms,
    anyOf: needed,
    excluded,
    engineQuery: enginePhrases(terms),
    needsCheck: phrasesNeedCheck(terms),
    marks: [...terms, ...needed.flat()].flatMap((t) => t.forms),
  };
}

/** Whether the engine query alone finds exactly the hits: no alternatives, exclusions or long phrases. */
export function isPlain(q: ParsedQuery): boolean {
  return !q.anyOf.length && !q.excluded.length && !q.needsCheck;
}

const has = (normText: string, t: Term) => t.forms.some((f) => normText.includes(f));

/** Whether a passage's normalized text satisfies the query (the definition of a correct hit). */
export function matchesQuery(normText: string, q: Pick<ParsedQuery, 'terms' | 'anyOf' | 'excluded'>): boolean {
  return q.terms.every((t) => has(normText, t))
    && q.anyOf.every((g) => g.some((t) => has(normText, t)))
    && !q.excluded.some((t) => has(normText, t));
}
