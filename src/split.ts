/**
 * Split: a page's lines → paragraphs → the notices the page holds.
 *
 * Paragraphs first: pages copied from PDFs wrap sentences across lines ("…组织召开专题民主生活会，
 * 班" / "子成员认真开展…"), and those lines are joined back. Then notices: a scraped collection can
 * hold several reports back to back with no titles between them. A new report shows as a title
 * line, a salutation (中共县委:), a signature (中共市卫健局委员会, perhaps with its date) closing
 * the one before, an opening paragraph (…现将有关情况报告如下: / 20xx年,在县委…领导下 / …制定本
 * 方案。), or a heading sequence that restarts at 一、. A title wrapped over two or three lines is
 * one title. What ingest left of the site (a column name, a button, a credit) sits above the
 * title, between it and the text or after the last sentence, and is dropped there; a piece with
 * neither a title nor sentences is never a notice.
 *
 * @example
 * const notices = split(doc);          // doc from ingest()
 * notices.map((n) => [n.from, n.to]);  // source line ranges, e.g. [[1, 9], [10, 62], …]
 */
import type { SourceDoc, SourceLine } from './ingest/index.ts';
import { shadow } from './ingest/index.ts';
import { isOrgLine } from './org.ts';
import { isPureHeading, parseMarker } from './structure.ts';
import { cleanTitle, isTitleLine, joinTitle, wrappedTitleLength } from './title.ts';

export { isTitleLine };

export interface Paragraph {
  text: string;
  /** First and last source line (1-based, inclusive). */
  from: number;
  to: number;
}

/** A notice as found in its page: its own lines, not yet interpreted. */
export interface DraftNotice {
  source: string;
  /** The notice's title line, when it has one. */
  title: string | null;
  /** Lines above the title (a site's section name or the issuer's letterhead). */
  header: string[];
  /** The addressee line without its colon, e.g. "中共县委". */
  salutation: string | null;
  /** The issuer's line under the text, e.g. "中共蓬溪县卫生健康局党组". */
  signature: string | null;
  /** The date line under the signature, as written. */
  signedDate: string | null;
  paragraphs: Paragraph[];
  /** Source line range of the whole notice, title and signature included. */
  from: number;
  to: number;
  /** The page's metadata (来源, 发布时间 …), shared by every notice on the page. */
  meta: Record<string, string>;
  titleHint: string | null;
}

// ---------------------------------------------------------------------------------------------
// Line roles

const ORG_TAIL = '(县委|市委|区委|州委|省委|旗委|盟委|党委|党组|委员会|人民政府|政府|卫健局|卫生健康局|卫生健康委员会|卫生健康委|卫健委|办公室|领导小组|指挥部)';
const SALUTATION = new RegExp(`^((中共|中国共产党)?[\\p{Script=Han}()]{0,24}${ORG_TAIL}|各[\\p{Script=Han}、()]{1,40})\\s*:$`, 'u');
const SIGNATURE_PARTY = /^(中共|中国共产党)[\p{Script=Han}()]{1,30}(委员会|党组|党委|总支|支部)$/u;
const SIGNATURE_BODY = /^[\p{Script=Han}()]{2,30}(卫生健康局|卫健局|卫生健康委员会|卫生健康委|卫健委|卫生局|人民政府|医院|卫生院|中心|办公室)$/u;
const DATE_LINE = /^(\d{4}|20xx|20_|[〇○零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?)?$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/;

const CLOSED = /[。!?;:…]$/;
const INNER_STOP = /[。!?;]/;

function squash(sc: string): string {
  return sc.replace(/\s+/g, '');
}

export function isSalutation(text: string): boolean {
  const sc = squash(shadow(text));
  return sc.length <= 42 && SALUTATION.test(sc);
}

export function isSignature(text: string): boolean {
  const sc = squash(shadow(text));
  return SIGNATURE_PARTY.test(sc) || SIGNATURE_BODY.test(sc) || isOrgLine(sc);
}

export function isDateLine(text: string): boolean {
  return DATE_LINE.test(squash(shadow(text)));
}

// ---------------------------------------------------------------------------------------------
// Paragraphs

/** Display width: a Han character or full-width sign is 1, an ASCII character half of that. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) < 0x7f ? 0.5 : 1;
  return w;
}

function closed(text: string): boolean {
  return CLOSED.test(shadow(text).replace(/[”’」』)\]》]+$/, ''));
}

/** Lines that open something of their own and so never continue the line above. */
function opensBlock(text: string): boolean {
  return parseMarker(text) !== null || isTitleLine(text) || isSalutation(text) || isSignature(text) || isDateLine(text);
}

/**
 * A line that reads as prose rather than a heading: a sentence end inside it, or, for a line
 * without a heading marker, sheer length.
 */
function prosy(text: string): boolean {
  return INNER_STOP.test(shadow(text).slice(0, -1)) || (width(text) >= 50 && parseMarker(text) === null);
}

/**
 * The width a hard-wrapped page breaks its lines at, if it is one: several unfinished lines of one
 * width, each followed directly by a line of about the same width, are a layout, not headings.
 */
function wrapWidth(lines: SourceLine[]): number | null {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < lines.length; i++) {
    const a = lines[i] as SourceLine;
    const b = lines[i + 1] as SourceLine;
    if (a.text === '' || b.text === '' || closed(a.text) || opensBlock(b.text)) continue;
    const wa = width(a.text);
    if (wa < 15 || Math.abs(wa - width(b.text)) > 2) continue;
    const key = Math.round(wa);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [w, n] of counts) {
    const near = n + (counts.get(w - 1) ?? 0) + (counts.get(w + 1) ?? 0);
    if (near > bestCount) {
      best = w;
      bestCount = near;
    }
  }
  return bestCount >= 3 ? best : null;
}

/**
 * Joins wrapped lines back into paragraphs. A line continues onto the next when it stops
 * mid-sentence and the next opens nothing of its own; across a blank line only prose lines do
 * (a heading above a blank line is a heading), and with no blank line between, prose lines and
 * lines of the page's wrap width do.
 */
export function paragraphs(lines: SourceLine[]): Paragraph[] {
  const wrap = wrapWidth(lines);
  const out: Paragraph[] = [];
  let gap = 0;
  let open: (Paragraph & { last: string }) | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as SourceLine;
    if (line.text === '') {
      gap++;
      continue;
    }
    // A title wrapped over two or three lines is one title line.
    const run: SourceLine[] = [];
    for (let j = i; j < lines.length && j < i + 3 && (lines[j] as SourceLine).text !== ''; j++) run.push(lines[j] as SourceLine);
    // An issuer line right under prose is that text's signature, not the first half of a title.
    const signs: boolean = open !== null && closed(open.last) && isSignature(line.text);
    const wrapped: number = signs ? 0 : wrappedTitleLength(run.map((l) => l.text));
    if (wrapped > 0) {
      if (open !== null) out.push({ text: open.text, from: open.from, to: open.to });
      const text = joinTitle(run.slice(0, wrapped).map((l) => l.text));
      open = { text, from: line.no, to: (run[wrapped - 1] as SourceLine).no, last: text };
      i += wrapped - 1;
      gap = 0;
      continue;
    }
    const joins =
      open !== null &&
      gap <= 2 &&
      !closed(open.last) &&
      !opensBlock(line.text) &&
      !isSignature(open.last) &&
      !isDateLine(open.last) &&
      !isTitleLine(open.last) &&
      !isSalutation(open.last) &&
      (prosy(open.last) || (gap === 0 && wrap !== null && Math.abs(width(open.last) - wrap) <= 2.5));
    if (joins && open !== null) {
      const glue = /[A-Za-z0-9]$/.test(open.text) && /^[A-Za-z0-9]/.test(line.text) ? ' ' : '';
      open.text += glue + line.text;
      open.to = line.no;
      open.last = line.text;
    } else {
      if (open !== null) out.push({ text: open.text, from: open.from, to: open.to });
      open = { text: line.text, from: line.no, to: line.no, last: line.text };
    }
    gap = 0;
  }
  if (open !== null) out.push({ text: open.text, from: open.from, to: open.to });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Notices

/** Meta keys that hold the page's date (as enrich reads them). */
const DATE_KEYS = ['发布时间', '发布日期', '发文日期', '日期', '时间'];
const DATE_TIME_LINE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(:\d{2})?$/;

const OPENING_REPORT = /(现将|特将|兹将).{0,60}(报告|汇报|通报|总结|说明)如下[:。]?$|予以(公布|通报)[。.]?$|(制定|制订)(本|如下)(方案|办法|意见|计划|细则)[。.:]?$/;
const OPENING_YEAR = /^(\d{4}|20xx|20_)年(以来|度)?,/;
const OPENING_YEAR_CONTEXT = /领导下|指导下|为指导|统一部署/;
const PREAMBLE = /^(根据|按照|依据|遵照|为|近年来|今年以来|\d{4}年|20xx年|20_年|在.{2,20}(领导|指导)下)|现将|如下[:。]?$/;

function isOpening(text: string): boolean {
  const sc = shadow(text).trim();
  if (OPENING_REPORT.test(sc)) return true;
  return OPENING_YEAR.test(sc) && OPENING_YEAR_CONTEXT.test(sc.slice(0, 120));
}

function emptyDraft(doc: SourceDoc): DraftNotice {
  return {
    source: doc.source,
    title: null,
    header: [],
    salutation: null,
    signature: null,
    signedDate: null,
    paragraphs: [],
    from: 0,
    to: 0,
    meta: doc.meta,
    titleHint: doc.titleHint,
  };
}

/**
 * A line that says nothing of its own: short, without a sentence mark, a heading marker or an
 * issuer's role. Such lines between a title and the text, or after the text, are what is left of
 * the site around the notice (a column name, a button, a credit), never the notice.
 */
function junk(text: string): boolean {
  const sc = squash(shadow(text));
  return sc.length <= 40 && !/[。!?;:]/.test(sc) && parseMarker(text) === null && !isSalutation(text) && !isSignature(text) && !isDateLine(text) && !isTitleLine(text);
}

/** Prose in sentences: what a notice's body is made of, and site chrome is not. */
function sentenceSize(draft: DraftNotice): number {
  let n = 0;
  for (const p of draft.paragraphs) {
    if (!INNER_STOP.test(shadow(p.text))) continue;
    for (const ch of p.text) if (/[\p{L}\p{N}]/u.test(ch)) n++;
  }
  return n;
}

/** The notices one page holds, in page order. */
export function split(doc: SourceDoc): DraftNotice[] {
  const paras = paragraphs(doc.lines);
  const notices: DraftNotice[] = [];
  let current = emptyDraft(doc);
  /** Highest 一、 ordinal seen in the current notice (a later 一、 restarts the sequence). */
  let topOrdinal = 0;
  let closedBySignature = false;

  const span = (draft: DraftNotice, p: Paragraph) => {
    if (draft.from === 0 || (p.from > 0 && p.from < draft.from)) draft.from = p.from;
    draft.to = Math.max(draft.to, p.to);
  };
  const hasContent = (draft: DraftNotice) => draft.paragraphs.length > 0 || draft.signature !== null;
  const startNew = () => {
    // What follows the text's last sentence and says nothing of its own is the site's, not the notice's.
    let lastSentence = current.paragraphs.length - 1;
    while (lastSentence >= 0 && !INNER_STOP.test(shadow((current.paragraphs[lastSentence] as Paragraph).text))) lastSentence--;
    if (lastSentence >= 0) {
      while (current.paragraphs.length > lastSentence + 1 && junk((current.paragraphs[current.paragraphs.length - 1] as Paragraph).text)) current.paragraphs.pop();
    }
    if (hasContent(current) || current.title !== null) notices.push(current);
    current = emptyDraft(doc);
    topOrdinal = 0;
    closedBySignature = false;
  };

  const hint = doc.titleHint === null ? null : squash(shadow(doc.titleHint));
  paras.forEach((p, i) => {
    const prev = paras[i - 1];
    // The page's own title (HTML <h1>, Markdown # heading) is a title whatever its wording.
    const titled = isTitleLine(p.text) || (i < 4 && hint !== null && squash(shadow(p.text)) === hint);
    if (titled) {
      if (hasContent(current) || current.title !== null) {
        // Short unpunctuated lines above a page's first title are its letterhead, not a notice.
        const letterhead = current.title === null && current.signature === null && current.paragraphs.every((q) => !prosy(q.text) && !INNER_STOP.test(shadow(q.text)));
        if (letterhead && notices.length === 0) {
          current.header = current.paragraphs.map((q) => q.text);
          current.paragraphs = [];
        } else {
          startNew();
        }
      }
      current.title = cleanTitle(p.text);
      span(current, p);
      return;
    }
    if (current.title !== null && current.paragraphs.length === 0 && current.salutation === null) {
      // Between a title and its text: the page's date line is its publish date; the rest is chrome.
      const bare = shadow(p.text).trim().replace(/^\((.*)\)$/, '$1');
      if (isDateLine(bare) || DATE_TIME_LINE.test(bare)) {
        if (!DATE_KEYS.some((k) => current.meta[k] !== undefined)) current.meta = { ...current.meta, 日期: p.text };
        return;
      }
      if (junk(p.text)) return;
    }
    if (isSalutation(p.text)) {
      if (hasContent(current)) startNew();
      current.salutation = p.text.replace(/\s*[:：]$/, '');
      span(current, p);
      return;
    }
    if (isSignature(p.text) && current.paragraphs.length > 0) {
      const next = paras[i + 1];
      // An issuer line with nothing but a date (or nothing) after it closes the notice; any other
      // such line is a line of the text.
      const alsoSigning = next !== undefined && isSignature(next.text) && (paras[i + 2] === undefined || isDateLine((paras[i + 2] as Paragraph).text));
      if (SIGNATURE_PARTY.test(squash(shadow(p.text))) || next === undefined || isDateLine(next.text) || alsoSigning) {
        // A joint notice is signed by each of its orgs, one line each, above one date.
        current.signature = closedBySignature && current.signature !== null && current.signedDate === null ? `${current.signature}、${p.text}` : p.text;
        closedBySignature = true;
        span(current, p);
        return;
      }
    }
    if (isDateLine(p.text) && closedBySignature && current.signedDate === null) {
      current.signedDate = p.text;
      span(current, p);
      return;
    }
    if (closedBySignature) startNew();
    else if (current.paragraphs.length >= 2 && isOpening(p.text) && !(prev !== undefined && isPureHeading(prev.text))) startNew();
    const marker = parseMarker(p.text);
    if (marker !== null && marker.rank === 1) {
      if (marker.ordinal === 1 && topOrdinal >= 2) {
        // The top-level sequence restarts: a new notice begins here, or at the preamble lines
        // (根据…, 20xx年…, 现将…如下) just above this 一、.
        const moved: Paragraph[] = [];
        while (moved.length < 2 && current.paragraphs.length > 1) {
          const last = current.paragraphs[current.paragraphs.length - 1] as Paragraph;
          if (parseMarker(last.text) !== null || !PREAMBLE.test(shadow(last.text))) break;
          moved.unshift(current.paragraphs.pop() as Paragraph);
        }
        current.to = Math.max(current.from, ...current.paragraphs.map((q) => q.to));
        startNew();
        for (const q of moved) {
          current.paragraphs.push(q);
          span(current, q);
        }
      }
      topOrdinal = Math.max(topOrdinal, marker.ordinal);
    }
    current.paragraphs.push(p);
    span(current, p);
  });
  startNew();

  // A page never yields a notice made of its chrome: a notice has a title line (or the page's own
  // title) or a body of sentences. A fragment with a few sentences (a line after a signature)
  // belongs to the notice before; one with none is what is left of the site, and is dropped.
  const kept: DraftNotice[] = [];
  for (const draft of notices) {
    const prev = kept[kept.length - 1];
    const titled = draft.title !== null && (isTitleLine(draft.title) || (hint !== null && squash(shadow(draft.title)) === hint));
    if (!titled && draft.salutation === null && sentenceSize(draft) < 40) {
      if (prev !== undefined && sentenceSize(draft) > 0) {
        prev.paragraphs.push(...draft.paragraphs);
        prev.to = Math.max(prev.to, draft.to);
      }
      continue;
    }
    kept.push(draft);
  }
  return kept;
}
