/**
 * Parse quality, measured at the HTTP API: the files of the parse dev set are uploaded through
 * `POST /api/admin/documents` (each with its page URL, when the set gives one), and the notices the
 * product then lists are compared field by field with the expected ones. Also counted: notices
 * that match no expected notice (a page must never yield a notice made of its site chrome), and
 * phrases that straddle a line or page break in the file but are not found by exact search.
 *
 * The set's format is described in docs/parse-dev.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { normalize } from '../../src/normalize.ts';
import type { Stack } from '../helpers/stack.ts';

export const PARSE_FIELDS = ['title', 'org', 'province', 'city', 'county', 'level', 'inspection', 'publishDate', 'sourceUrl'] as const;
export type ParseField = (typeof PARSE_FIELDS)[number];

export type ExpectedNotice = Record<ParseField, string | null>;

export interface DevEntry {
  /** File name under the dev folder. */
  file: string;
  /** The page's address, sent with the upload as the form field `url`. */
  url?: string;
  /** The layout this file reproduces (site kind and chrome), for reading the results. */
  structure?: string;
  notices: ExpectedNotice[];
  /** Phrases that straddle a line or page break in the file; exact search must find each. */
  phrases?: string[];
}

export interface FieldMiss {
  file: string;
  field: ParseField;
  expected: string | null;
  got: string | null;
}

export interface ParseReport {
  files: number;
  expectedNotices: number;
  parsedNotices: number;
  /** Per field: expected notices whose field came out right. */
  correct: Record<ParseField, number>;
  misses: FieldMiss[];
  /** Parsed notices that match no expected notice: chrome or a stray piece of a page. */
  strays: Array<{ file: string; title: string }>;
  /** Files the upload refused or skipped. */
  skipped: Array<{ file: string; reason: string }>;
  phrases: number;
  missedPhrases: Array<{ file: string; phrase: string }>;
}

export function loadDevSet(file: string): DevEntry[] {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as DevEntry[];
  for (const e of entries) {
    for (const n of e.notices) {
      for (const f of PARSE_FIELDS) if (!(f in n)) throw new Error(`${file}: ${e.file}: a notice lacks "${f}" (use null for a field the notice truly lacks)`);
    }
  }
  return entries;
}

/** Titles compare as text, not as typography: width, script and white space aside. */
const squash = (s: string | null) => (s === null ? null : normalize(s).replace(/\s+/g, ''));

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

function similarity(a: string, b: string): number {
  const x = bigrams(squash(a) ?? '');
  const y = bigrams(squash(b) ?? '');
  if (x.size === 0 || y.size === 0) return 0;
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return both / (x.size + y.size - both);
}

type Parsed = Record<string, unknown> & { id: string; title: string; source: string };

/**
 * Pairs expected and parsed notices by title likeness, most alike first. A parsed notice whose
 * title shares nothing with any expected one is left over (a stray), never forced onto a real
 * notice: a chrome notice must show as chrome, not as a real notice with wrong fields.
 */
export function pairNotices(expected: ExpectedNotice[], parsed: Parsed[]): { pairs: Array<[ExpectedNotice, Parsed | null]>; strays: Parsed[] } {
  const candidates: Array<{ e: number; p: number; s: number }> = [];
  expected.forEach((e, ei) => parsed.forEach((p, pi) => candidates.push({ e: ei, p: pi, s: similarity(e.title ?? '', p.title) })));
  candidates.sort((a, b) => b.s - a.s);
  const byExpected = new Map<number, number>();
  const usedParsed = new Set<number>();
  for (const c of candidates) {
    if (c.s < 0.2 || byExpected.has(c.e) || usedParsed.has(c.p)) continue;
    byExpected.set(c.e, c.p);
    usedParsed.add(c.p);
  }
  return {
    pairs: expected.map((e, i) => {
      const p = byExpected.get(i);
      return [e, p === undefined ? null : (parsed[p] as Parsed)];
    }),
    strays: parsed.filter((_, i) => !usedParsed.has(i)),
  };
}

function valueOf(notice: Parsed, field: ParseField): string | null {
  const v = notice[field];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Title and org compare as text (a traditional page names its org in traditional script). */
function same(field: ParseField, expected: string | null, got: string | null): boolean {
  return field === 'title' || field === 'org' ? squash(expected) === squash(got) : expected === got;
}

/**
 * Uploads every file in one request (JSON, bytes in base64, each with its page's URL): one index
 * run for the whole set. Returns the files the upload skipped, with the reasons.
 */
async function uploadAll(stack: Stack, adminKey: string, dir: string, entries: DevEntry[]): Promise<Array<{ file: string; reason: string }>> {
  const body = entries.map((e) => ({
    name: e.file,
    content: readFileSync(path.join(dir, e.file)).toString('base64'),
    encoding: 'base64',
    ...(e.url !== undefined ? { url: e.url } : {}),
  }));
  const res = await stack.call('/api/admin/documents', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
  });
  if (res.status !== 200) return entries.map((e) => ({ file: e.file, reason: `${res.status} ${JSON.stringify(res.body).slice(0, 200)}` }));
  const skipped = (res.body as { skipped?: Array<{ file: string; reason: string }> }).skipped ?? [];
  return skipped.map((s) => ({ file: path.basename(s.file), reason: s.reason }));
}

async function listNotices(stack: Stack): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for (let offset = 0; ; offset += 100) {
    const { status, body } = await stack.call(`/api/notices?limit=100&offset=${offset}`);
    if (status !== 200) throw new Error(`/api/notices: ${status} ${JSON.stringify(body)}`);
    for (const n of body.notices as Array<{ id: string }>) {
      // The whole record (the list carries only the fields the search page shows).
      const one = await stack.call(`/api/notices/${n.id}`);
      out.push(one.body as Parsed);
    }
    if (body.notices.length < 100) return out;
  }
}

/** Uploads every dev file into `stack` (which must start empty, admin routes on) and measures. */
export async function evaluateParse(stack: Stack, adminKey: string, dir: string, entries: DevEntry[]): Promise<ParseReport> {
  const report: ParseReport = {
    files: entries.length,
    expectedNotices: 0,
    parsedNotices: 0,
    correct: Object.fromEntries(PARSE_FIELDS.map((f) => [f, 0])) as Record<ParseField, number>,
    misses: [],
    strays: [],
    skipped: [],
    phrases: 0,
    missedPhrases: [],
  };
  report.skipped.push(...(await uploadAll(stack, adminKey, dir, entries)));
  const all = await listNotices(stack);
  for (const entry of entries) {
    const parsed = all.filter((n) => path.basename(n.source) === entry.file);
    report.expectedNotices += entry.notices.length;
    report.parsedNotices += parsed.length;
    const { pairs, strays } = pairNotices(entry.notices, parsed);
    for (const s of strays) report.strays.push({ file: entry.file, title: s.title });
    for (const [expected, got] of pairs) {
      for (const field of PARSE_FIELDS) {
        const value = got === null ? null : valueOf(got, field);
        if (got !== null && same(field, expected[field], value)) report.correct[field]++;
        else report.misses.push({ file: entry.file, field, expected: expected[field], got: got === null ? '(no notice)' : value });
      }
    }
    const ids = new Set(parsed.map((n) => n.id));
    for (const phrase of entry.phrases ?? []) {
      report.phrases++;
      const q = encodeURIComponent(`"${phrase}"`);
      const { status, body } = await stack.call(`/api/search?q=${q}&limit=100`);
      const found = status === 200 && (body.hits as Array<{ noticeId: string }>).some((h) => ids.has(h.noticeId));
      if (!found) report.missedPhrases.push({ file: entry.file, phrase });
    }
  }
  return report;
}

export function parseTable(r: ParseReport): string {
  const n = r.expectedNotices;
  const acc = (f: ParseField) => (n === 0 ? 1 : r.correct[f] / n);
  return [
    `${r.files} files, ${n} expected notices, ${r.parsedNotices} parsed`,
    '',
    '| field | correct | accuracy |',
    '|---|---:|---:|',
    ...PARSE_FIELDS.map((f) => `| ${f} | ${r.correct[f]}/${n} | ${acc(f).toFixed(3)} |`),
    '',
    `| chrome or stray notices | ${r.strays.length} |`,
    '|---|---:|',
    `| phrases across a break missed by exact search | ${r.missedPhrases.length} of ${r.phrases} |`,
    `| files skipped | ${r.skipped.length} |`,
  ].join('\n');
}

export function parseMisses(r: ParseReport): string {
  const lines: string[] = [];
  for (const s of r.skipped) lines.push(`- skipped ${s.file}: ${s.reason}`);
  for (const s of r.strays) lines.push(`- stray notice in ${s.file}: ${JSON.stringify(s.title)}`);
  for (const m of r.misses) lines.push(`- ${m.file} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)}`);
  for (const p of r.missedPhrases) lines.push(`- ${p.file}: phrase not found ${JSON.stringify(p.phrase)}`);
  return lines.join('\n');
}

/** Meets the targets: every field ≥ 0.95, no chrome notice, no missed phrase. */
export function parseMeetsTargets(r: ParseReport): boolean {
  const n = r.expectedNotices;
  return r.strays.length === 0 && r.missedPhrases.length === 0 && PARSE_FIELDS.every((f) => n === 0 || r.correct[f] / n >= 0.95);
}
