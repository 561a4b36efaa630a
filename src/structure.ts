/**
 * Structure: one notice's paragraphs → the heading tree and the passages a reader reads.
 *
 * Headings nest 一、 > (一) > 1. > (1) > ①, in half- or full-width forms. A passage is one item —
 * a measure ("一是…"), a numbered point or a paragraph — of 30–600 characters: long items are cut
 * at sentence ends, tiny ones join a neighbour. Where the notice states a problem and then its
 * 整改落实情况, the passages answering it carry the problem.
 *
 * @example
 * structure([{ text: '一、整改情况' }, { text: '(一)强化组织领导。一是成立领导小组，统筹推进整改。二是…' }])
 * // → [{ headingPath: ['一、整改情况', '(一)强化组织领导'], text: '(一)强化组织领导。一是成立…', … }]
 */
import { shadow } from './ingest/shadow.ts';

export type Rank = 1 | 2 | 3 | 4 | 5;

export interface Marker {
  /** 1 for 一、, 2 for (一), 3 for 1., 4 for (1), 5 for ①. */
  rank: Rank;
  /** The number the marker carries: 3 for 三、, (三), 3., (3), ③. */
  ordinal: number;
  /** Length of the marker in the text, trailing spaces included. */
  length: number;
}

const NUMERAL: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十二 → 12, 二十三 → 23; NaN for anything else. */
export function chineseNumber(text: string): number {
  if (text === '十') return 10;
  const ten = text.indexOf('十');
  if (ten < 0) return text.length === 1 ? (NUMERAL[text] ?? NaN) : NaN;
  const tens = ten === 0 ? 1 : (NUMERAL[text.slice(0, ten)] ?? NaN);
  const ones = ten === text.length - 1 ? 0 : (NUMERAL[text.slice(ten + 1)] ?? NaN);
  return tens * 10 + ones;
}

const CN = '[一二三四五六七八九十]{1,3}';
const MARKERS: { rank: Rank; pattern: RegExp; value: (m: RegExpExecArray) => number }[] = [
  { rank: 1, pattern: new RegExp(`^(${CN})\\s*[、.]\\s*`), value: (m) => chineseNumber(m[1] ?? '') },
  { rank: 2, pattern: new RegExp(`^\\(\\s*(${CN})\\s*\\)\\s*`), value: (m) => chineseNumber(m[1] ?? '') },
  { rank: 2, pattern: /^([㈠-㈩])\s*/, value: (m) => (m[1] ?? '').charCodeAt(0) - 0x321f },
  { rank: 3, pattern: /^(\d{1,2})\s*(?:、|\.(?!\d))\s*/, value: (m) => Number(m[1]) },
  { rank: 3, pattern: /^([⒈-⒛])\s*/, value: (m) => (m[1] ?? '').charCodeAt(0) - 0x2487 },
  { rank: 4, pattern: /^\(\s*(\d{1,2})\s*\)\s*/, value: (m) => Number(m[1]) },
  { rank: 4, pattern: /^([⑴-⒇])\s*/, value: (m) => (m[1] ?? '').charCodeAt(0) - 0x2473 },
  { rank: 5, pattern: /^([①-⑳])\s*/, value: (m) => (m[1] ?? '').charCodeAt(0) - 0x245f },
];

/** The heading marker a paragraph starts with, if any. */
export function parseMarker(text: string): Marker | null {
  const sc = shadow(text.slice(0, 12));
  for (const { rank, pattern, value } of MARKERS) {
    const m = pattern.exec(sc);
    if (m !== null) {
      const ordinal = value(m);
      if (Number.isFinite(ordinal) && ordinal > 0) return { rank, ordinal, length: m[0].length };
    }
  }
  return null;
}

const SENTENCE_END = /[。!?;:]|\.(?!\d)/;
const TRAILING = /[\s。.,;:!?、]+$/;

/**
 * A paragraph that is a heading and nothing else: a marker and one short clause ("(二)完善监测预警
 * 机制", "1.推进中医药特色专科建设有差距。"), as opposed to a paragraph that merely starts with one.
 */
export function isPureHeading(text: string): boolean {
  const marker = parseMarker(text);
  if (marker === null) return false;
  const rest = shadow(text.slice(marker.length)).replace(TRAILING, '');
  return rest.length > 0 && rest.length <= 60 && !SENTENCE_END.test(rest);
}

/**
 * The heading a marked paragraph stands under, as it reads in the text: the whole line for a pure
 * heading, else its first clause — up to the first sentence end or "一是", or up to "…方面" when
 * the clause runs on without punctuation ("(4)推动医共体建设方面由县委…").
 */
export function headingText(text: string): string {
  const marker = parseMarker(text);
  if (marker === null) return text.trim();
  const sc = shadow(text);
  const start = marker.length;
  const limit = 40;
  let end = sc.replace(TRAILING, '').length;
  const stop = isPureHeading(text) ? null : SENTENCE_END.exec(sc.slice(start));
  if (stop !== null) end = start + stop.index;
  const first = sc.indexOf('一是', start);
  if (first > start && first < end && !isPureHeading(text)) end = first;
  if (end - start > limit) {
    const aspect = sc.indexOf('方面', start);
    if (aspect > start && aspect - start <= 30) end = aspect + 2;
  }
  if (end - start > limit) {
    const comma = Math.max(sc.lastIndexOf(',', start + limit), sc.lastIndexOf('、', start + limit));
    return comma > start + 8 ? text.slice(0, comma).trim() + '…' : text.slice(0, start + limit).trim() + '…';
  }
  return text.slice(0, end).trim().replace(TRAILING, '');
}

// ---------------------------------------------------------------------------------------------

export interface StructureOptions {
  /** Passages shorter than this join a neighbour (unless the notice itself is shorter). */
  minChars: number;
  /** Items longer than this are cut at sentence ends. */
  maxChars: number;
}

const defaults: StructureOptions = { minChars: 30, maxChars: 600 };

/** A passage before it has ids (enrich adds them, with the notice's). */
export interface DraftPassage {
  headingPath: string[];
  problem: string | null;
  text: string;
  position: number;
}

interface Piece {
  text: string;
  path: string[];
  problem: string | null;
  paragraph: number;
  /** A short lead-in before a paragraph's first item (its heading clause, 整改落实情况:). */
  lead: boolean;
}

const LABEL = /(整改落实情况|整改进展情况|整改完成情况|整改情况|整改进展|整改措施|整改落实)\s*:/;
const TARGETED = /^针对.{2,80}?问题/;
const CLOSING = /^欢迎.{0,20}监督/;

/** Character count as a reader counts: code points, not UTF-16 units. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts a notice's body paragraphs into passages, each under its headings. */
export function structure(paragraphs: readonly { text: string }[], options: Partial<StructureOptions> = {}): DraftPassage[] {
  const config = { ...defaults, ...options } satisfies StructureOptions;
  const pieces: Piece[] = [];
  const stack: { rank: Rank; text: string }[] = [];
  let leaf: { rank: Rank; piece: Piece } | null = null;
  let problem: string | null = null;
  let statements: string[] = [];

  const path = () => stack.map((h) => h.text);
  const innermostTitle = (): string | null => {
    const top = stack[stack.length - 1];
    if (top === undefined) return null;
    const marker = parseMarker(top.text);
    return marker === null ? top.text : top.text.slice(marker.length).trim();
  };

  for (const [index, { text }] of paragraphs.entries()) {
    const marker = parseMarker(text);
    if (marker !== null) {
      // A pure heading followed by a sibling or a higher heading had no body: its line is content.
      if (leaf !== null && marker.rank <= leaf.rank) pieces.push(leaf.piece);
      leaf = null;
      while (stack.length > 0 && (stack[stack.length - 1]?.rank ?? 0) >= marker.rank) stack.pop();
      const heading = headingText(text);
      stack.push({ rank: marker.rank, text: heading });
      statements = [];
      const title = heading.slice(marker.length).trim();
      const targeted = TARGETED.exec(shadow(title));
      // "针对X问题" names the problem the paragraph answers: X问题.
      problem = targeted === null ? null : title.slice(2, targeted[0].length);
      if (isPureHeading(text)) {
        leaf = { rank: marker.rank, piece: { text: text.trim(), path: path(), problem, paragraph: index, lead: false } };
        continue;
      }
    } else {
      // A pure heading right above prose opens its first passage, as a heading clause at the
      // start of a paragraph does: the passage then reads on its own.
      if (leaf !== null) pieces.push({ ...leaf.piece, lead: true });
      leaf = null;
      if (CLOSING.test(shadow(text))) {
        // "欢迎广大干部群众…监督": the notice's closing words stand under no heading.
        stack.length = 0;
        problem = null;
      }
    }
    const sc = shadow(text);
    const label = LABEL.exec(sc);
    let own = problem;
    if (label !== null) {
      const contentStart = marker?.length ?? 0;
      const before = text.slice(contentStart, label.index).replace(TRAILING, '').trim();
      own = before !== '' ? before : statements.length > 0 ? statements.join('').replace(TRAILING, '') : innermostTitle();
      problem = own;
    } else if (marker === null && problem === null) {
      statements.push(text.trim());
    }
    const ranges = items(text, sc, config);
    ranges.forEach(([start, end], k) => {
      const lead = k === 0 && ranges.length > 1 && end - start < 60 && (marker !== null || label !== null);
      pieces.push({ text: text.slice(start, end), path: path(), problem: own, paragraph: index, lead });
    });
  }
  if (leaf !== null) pieces.push(leaf.piece);

  return merge(pieces, config).map((p, position) => ({ headingPath: p.path, problem: p.problem, text: p.text, position }));
}

/**
 * Where a paragraph's items start: measures "一是…二是…" in order, and inline numbered points
 * ("…。1、…。2、…") that follow a sentence end and count up from 1. Long items are cut further.
 */
function items(text: string, sc: string, config: StructureOptions): [number, number][] {
  const starts = new Set<number>([0]);
  for (const at of ordinalStarts(sc)) starts.add(at);
  for (const at of numberedStarts(sc)) starts.add(at);
  const sorted = [...starts].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  sorted.forEach((start, i) => {
    const end = sorted[i + 1] ?? text.length;
    ranges.push(...chunk(sc, start, end, config));
  });
  return ranges.filter(([s, e]) => text.slice(s, e).trim() !== '');
}

/** Characters that make "一是" part of a word (统一是, 第一是, 之一是) rather than a measure. */
const NOT_ORDINAL_BEFORE = /[统唯第之单同万专逐划合归十一二三四五六七八九]/;
const ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function ordinalStarts(sc: string): number[] {
  const found: number[] = [];
  let from = 0;
  let expect = 0;
  // A paragraph may open mid-list ("二是…"): continue from the ordinal it opens with.
  const opening = /^([一二三四五六七八九十])是/.exec(sc);
  if (opening !== null) {
    expect = ORDINALS.indexOf(opening[1] ?? '') + 1;
    from = 2;
  }
  for (; expect < ORDINALS.length; expect++) {
    const word = `${ORDINALS[expect]}是`;
    let at = sc.indexOf(word, from);
    while (at > 0 && NOT_ORDINAL_BEFORE.test(sc[at - 1] ?? '')) at = sc.indexOf(word, at + 1);
    if (at < 0) break;
    if (at > 0) found.push(at);
    from = at + 2;
  }
  return found.length >= 1 ? found : [];
}

function numberedStarts(sc: string): number[] {
  const pattern = /[。;:](\s*)(?:(\d{1,2})(?:、|\.(?!\d))|\((\d{1,2})\)|([①-⑳]))/g;
  const hits: { at: number; n: number; kind: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(sc)) !== null) {
    const at = m.index + 1 + (m[1]?.length ?? 0);
    if (m[2] !== undefined) hits.push({ at, n: Number(m[2]), kind: 3 });
    else if (m[3] !== undefined) hits.push({ at, n: Number(m[3]), kind: 4 });
    else hits.push({ at, n: (m[4] ?? '').charCodeAt(0) - 0x245f, kind: 5 });
  }
  // Only a run that counts 1, 2, 3… (or continues the number the paragraph opens with) is a list.
  const lead = parseMarker(sc);
  const out: number[] = [];
  for (const kind of [3, 4, 5]) {
    let expect = lead !== null && lead.rank === kind ? lead.ordinal + 1 : 1;
    const run: number[] = [];
    for (const hit of hits) {
      if (hit.kind !== kind) continue;
      if (hit.n === expect) {
        run.push(hit.at);
        expect++;
      }
    }
    if (run.length >= 2 || (run.length === 1 && expect > 2)) out.push(...run);
  }
  return out;
}

const SENTENCE_CUT = /[。!?;](?:[”’」』)]*)/g;
const CLAUSE_CUT = /[,、](?:[”’」』)]*)/g;

/** Cuts [start, end) into pieces of at most maxChars, at sentence ends, as evenly as it can. */
function chunk(sc: string, start: number, end: number, config: StructureOptions): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  while (end - s > config.maxChars) {
    const n = Math.ceil((end - s) / config.maxChars);
    const target = s + (end - s) / n;
    const window = (cuts: RegExp): number | null => {
      let best: number | null = null;
      cuts.lastIndex = s;
      let m: RegExpExecArray | null;
      while ((m = cuts.exec(sc)) !== null) {
        const at = m.index + m[0].length;
        if (at > s + config.maxChars || at >= end) break;
        if (at - s < config.minChars) continue;
        if (best === null || Math.abs(at - target) < Math.abs(best - target)) best = at;
      }
      return best;
    };
    const cut = window(SENTENCE_CUT) ?? window(CLAUSE_CUT) ?? s + config.maxChars;
    out.push([s, cut]);
    s = cut;
  }
  out.push([s, end]);
  return out;
}

function commonPrefix(a: string[], b: string[]): string[] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

function join(a: Piece, b: Piece): Piece {
  return {
    text: a.paragraph === b.paragraph ? a.text + b.text : `${a.text}\n${b.text}`,
    path: commonPrefix(a.path, b.path),
    problem: a.problem ?? b.problem,
    paragraph: b.paragraph,
    lead: false,
  };
}

/**
 * Joins pieces under minChars, and lead-ins of any size, to a neighbour: the rest of their own
 * paragraph first (a heading clause or a 整改落实情况: label belongs with the measure after it),
 * then the piece before under the same headings, then the next sibling. A join that would pass
 * maxChars is not made.
 */
function merge(input: Piece[], config: StructureOptions): Piece[] {
  const pieces = [...input];
  const size = (p: Piece) => charLength(p.text);
  const fits = (a: Piece, b: Piece) => size(a) + size(b) + (a.paragraph === b.paragraph ? 0 : 1) <= config.maxChars;
  let changed = true;
  while (changed && pieces.length > 1) {
    changed = false;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as Piece;
      if (size(piece) >= config.minChars && !piece.lead) continue;
      const prev = pieces[i - 1];
      const next = pieces[i + 1];
      const order: ('next' | 'prev')[] = [];
      if (next !== undefined && next.paragraph === piece.paragraph) order.push('next');
      if (piece.lead) order.push('next');
      if (prev !== undefined && prev.paragraph === piece.paragraph) order.push('prev');
      if (prev !== undefined && prev.path.join('\n') === piece.path.join('\n')) order.push('prev');
      if (next !== undefined && commonPrefix(piece.path, next.path).length >= piece.path.length - 1) order.push('next');
      if (prev !== undefined) order.push('prev');
      if (next !== undefined) order.push('next');
      for (const side of order) {
        if (side === 'next' && next !== undefined && fits(piece, next)) {
          pieces.splice(i, 2, join(piece, next));
          changed = true;
          break;
        }
        if (side === 'prev' && prev !== undefined && fits(prev, piece)) {
          pieces.splice(i - 1, 2, join(prev, piece));
          changed = true;
          break;
        }
      }
      if (changed) break;
    }
  }
  return pieces;
}
