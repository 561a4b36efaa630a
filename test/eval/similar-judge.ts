/**
 * Judging similar-measure rankings against test/data/similar.public.json, with no I/O: the spec's
 * relevants are exact substrings ("anchors") of the corpus, mapped here onto whatever passages the
 * parser made, so the judgments survive changes to how text is cut into passages.
 *
 * - A hit earns the grade of the best relevant anchor it contains that no earlier hit earned
 *   (a near-duplicate of a passage already credited earns nothing).
 * - nDCG@10: linear gain (the grade), log2 discount, ideal ranking from the judged passages.
 * - recall@10: share of the grade-2 anchors found in the first ten hits.
 * - Passage queries never count passages of the query's own report ("rule" in the file), and the
 *   query's own passage is never a hit.
 */
import { normalize } from '../../src/normalize.ts';

export interface Relevant {
  anchor: string;
  file: string;
  report: string;
  line: number;
  grade: 1 | 2;
}

export interface SimilarQuery {
  id: string;
  topic?: string;
  query: string;
  /** Passage queries: where the excerpt stands. */
  file?: string;
  report?: string;
  line?: number;
  relevant: Relevant[];
}

export interface SimilarSpec {
  meta: { report: string };
  passageQueries: SimilarQuery[];
  textQueries: SimilarQuery[];
}

/** What the judge needs to know about each indexed passage. */
export interface JudgedPassage {
  id: string;
  noticeId: string;
  normText: string;
  /** Report label (file prefix, or 001-A…H), from reportOf. */
  report: string;
}

/** "001-A 1-9 (…), 001-B 10-62 (…)" → line ranges per report of the concatenated file. */
export function reportRanges(meta: string): Array<{ report: string; from: number; to: number }> {
  return [...meta.matchAll(/(\d{3}-[A-Z]) (\d+)-(\d+)/g)].map((m) => ({ report: m[1]!, from: Number(m[2]), to: Number(m[3]) }));
}

/**
 * The report a passage belongs to: its file's prefix, or for a concatenated file the report
 * whose line range holds the line where the passage's text starts.
 */
export function reportOf(normText: string, file: string, fileText: string, ranges: ReturnType<typeof reportRanges>): string {
  const prefix = file.slice(0, 3);
  const own = ranges.filter((r) => r.report.startsWith(prefix + '-'));
  if (own.length === 0) return prefix;
  const lines = fileText.split('\n').map(normalize);
  for (const len of [24, 12, 6]) {
    const head = normText.slice(0, len);
    const at = lines.findIndex((l) => l.includes(head));
    if (at >= 0) return own.find((r) => at + 1 >= r.from && at + 1 <= r.to)?.report ?? prefix;
  }
  return prefix;
}

export interface Judgement {
  /** Anchor → ids of the passages containing it (normally one). */
  anchors: Map<string, string[]>;
  /** Anchors found in no passage (the parser dropped or split their text). */
  unmapped: string[];
}

export function mapAnchors(query: SimilarQuery, passages: readonly JudgedPassage[]): Judgement {
  const anchors = new Map<string, string[]>();
  const unmapped: string[] = [];
  for (const r of query.relevant) {
    const a = normalize(r.anchor);
    const ids = passages.filter((p) => p.normText.includes(a)).map((p) => p.id);
    if (ids.length) anchors.set(r.anchor, ids);
    else unmapped.push(r.anchor);
  }
  return { anchors, unmapped };
}

/** The passage a passage query was taken from: the one containing the most of its text. */
export function queryPassage(query: SimilarQuery, passages: readonly JudgedPassage[]): JudgedPassage | undefined {
  const q = normalize(query.query);
  for (const len of [q.length, 40, 20, 10]) {
    const head = q.slice(0, len);
    const found = passages.find((p) => p.normText.includes(head));
    if (found) return found;
  }
  // The excerpt may start in the previous passage: try its tail.
  return passages.find((p) => p.normText.includes(q.slice(-20)));
}

export interface Scores {
  ndcg: number;
  recall2: number;
  /** 1-based ranks of the credited hits, for reading a result. */
  credited: Array<{ rank: number; grade: number; anchor: string }>;
}

const K = 10;

/**
 * Scores a ranking (passage ids, best first). `exclude`: ids that are not allowed to count (the
 * query passage and its report), dropped from the ranking before cutting at ten.
 */
export function score(query: SimilarQuery, judgement: Judgement, ranking: readonly string[], exclude: ReadonlySet<string> = new Set()): Scores {
  const grades = new Map(query.relevant.map((r) => [r.anchor, r.grade]));
  const byPassage = new Map<string, string[]>();
  for (const [anchor, ids] of judgement.anchors) for (const id of ids) byPassage.set(id, [...(byPassage.get(id) ?? []), anchor]);
  const seenIds = new Set<string>();
  const top = ranking.filter((id) => !exclude.has(id) && !seenIds.has(id) && seenIds.add(id)).slice(0, K);
  const earned = new Set<string>();
  const credited: Scores['credited'] = [];
  let dcg = 0;
  top.forEach((id, i) => {
    const fresh = (byPassage.get(id) ?? []).filter((a) => !earned.has(a));
    if (fresh.length === 0) return;
    const best = Math.max(...fresh.map((a) => grades.get(a)!));
    // Everything a near-duplicate holds counts as found once either copy is.
    for (const a of fresh) earned.add(a);
    dcg += best / Math.log2(i + 2);
    credited.push({ rank: i + 1, grade: best, anchor: fresh.find((a) => grades.get(a) === best)! });
  });
  // Ideal: one passage per group of anchors sharing a passage, best grade each.
  const groups = new Map<string, number>();
  for (const [anchor, ids] of judgement.anchors) {
    const key = ids[0]!;
    groups.set(key, Math.max(groups.get(key) ?? 0, grades.get(anchor)!));
  }
  // Unmapped anchors still count in the ideal: a lost passage is a loss.
  const ideal = [...groups.values(), ...judgement.unmapped.map((a) => grades.get(a)!)].sort((a, b) => b - a).slice(0, K);
  const idcg = ideal.reduce((s, g, i) => s + g / Math.log2(i + 2), 0);
  const twos = query.relevant.filter((r) => r.grade === 2).map((r) => r.anchor);
  const found2 = twos.filter((a) => earned.has(a)).length;
  return { ndcg: idcg > 0 ? dcg / idcg : 0, recall2: twos.length ? found2 / twos.length : 1, credited };
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}
