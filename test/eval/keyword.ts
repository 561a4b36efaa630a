/**
 * Keyword exactness, measured at the HTTP API: for each term, the hits (all pages) against the
 * truth (every passage whose normalized text contains the term or a declared synonym), the
 * reported total, and every facet count against the truth's own distribution.
 */
import { normalize } from '../../src/normalize.ts';
import { FACETS } from '../../src/filter.ts';
import type { Stack } from '../helpers/stack.ts';
import type { PassageDoc } from '../../src/documents.ts';
import { INDEX } from '../../src/settings.ts';

export interface TruthPassage {
  id: string;
  noticeId: string;
  normText: string;
  province: string | null;
  city: string | null;
  county: string | null;
  level: string;
  year: number | null;
  inspection: string | null;
}

export interface TermResult {
  term: string;
  truth: number;
  returned: number;
  total: number;
  precision: number;
  recall: number;
  countsEqual: boolean;
  facetMismatches: string[];
}

export async function allPassages(stack: Stack): Promise<TruthPassage[]> {
  const out: TruthPassage[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await stack.runtime.engine.index<PassageDoc>(INDEX.passages).fetchDocuments({
      limit: 1000, offset, fields: ['id', 'noticeId', 'normText', 'province', 'city', 'county', 'level', 'year', 'inspection'],
    });
    out.push(...page.results);
    if (page.results.length < 1000) return out;
  }
}

/** `query` is what is sent as q; `forms` the strings a correct hit must contain (any of them, per term). */
export async function evaluateTerm(stack: Stack, passages: TruthPassage[], query: string, forms: string[][]): Promise<TermResult> {
  const norm = forms.map((alts) => alts.map(normalize));
  return evaluateQuery(stack, passages, query, (normText) => norm.every((alts) => alts.some((f) => normText.includes(f))));
}

/** `query` is what is sent as q; `isHit` says, from a passage's normalized text, whether it is a correct hit. */
export async function evaluateQuery(stack: Stack, passages: TruthPassage[], query: string, isHit: (normText: string) => boolean): Promise<TermResult> {
  const truth = passages.filter((p) => isHit(p.normText));
  const truthIds = new Set(truth.map((p) => p.id));
  const got = new Set<string>();
  let total = -1;
  let facets: Record<string, Record<string, number>> = {};
  for (let offset = 0; ; offset += 100) {
    const { status, body } = await stack.call(`/api/search?q=${encodeURIComponent(query)}&limit=100&offset=${offset}`);
    if (status !== 200) throw new Error(`search ${query}: ${status} ${JSON.stringify(body)}`);
    if (offset === 0) {
      total = body.total;
      facets = body.facets;
    }
    for (const h of body.hits) got.add(h.id);
    if (body.hits.length < 100) break;
  }
  const correct = [...got].filter((id) => truthIds.has(id)).length;
  const facetMismatches: string[] = [];
  for (const f of FACETS) {
    const expected: Record<string, number> = {};
    for (const p of truth) {
      const v = p[f];
      if (v !== null && v !== undefined) expected[String(v)] = (expected[String(v)] ?? 0) + 1;
    }
    const actual = facets[f] ?? {};
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) if (expected[k] !== actual[k]) facetMismatches.push(`${f}.${k}: ${actual[k] ?? 0} ≠ ${expected[k] ?? 0}`);
  }
  return {
    term: query,
    truth: truth.length,
    returned: got.size,
    total,
    precision: got.size ? correct / got.size : truth.length ? 0 : 1,
    recall: truth.length ? correct / truth.length : 1,
    countsEqual: total === truth.length && got.size === truth.length && facetMismatches.length === 0,
    facetMismatches,
  };
}
