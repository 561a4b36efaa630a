/**
 * Reflow: the positioned text lines of a laid-out document (a PDF's pages) → its paragraphs.
 *
 * A layout engine breaks a paragraph wherever the line is full and a page wherever the page is
 * full, and prints page numbers and running heads between the pages. Search needs the paragraph
 * back whole, or a phrase that crosses a line or page break is never found. No library does this
 * for Chinese official documents (PDF text extractors give lines, or join them with spaces), so
 * it is done here from the geometry the extractor reports:
 *
 * - page numbers (`— 3 —`, `-3-`, `第3页 共9页`, `3/9`) at the top or bottom of a page, and running
 *   heads or feet (the same line, digits aside, at the same place and size on several pages, or
 *   a smaller line set apart at the top of a page after the first) go;
 * - a line continues the paragraph above when the line above reached the right margin and this
 *   one starts at the left margin in the same size: official documents indent a paragraph's first
 *   line by two characters and leave its last line short; across a page break the same holds
 *   between the last line of one page and the first of the next;
 * - a title wrapped over several centred lines in a larger size is one paragraph.
 *
 * @example
 * const paragraphs = reflow([{ lines: [{ x0: 108, x1: 524, y: 614, size: 16, text: '根据…，市委第二巡' }, …], height: 842, width: 595 }]);
 */

/** One line of text as laid out: x0/x1 its left and right edge, y its baseline (up is larger). */
export interface LaidLine {
  x0: number;
  x1: number;
  y: number;
  /** Font size, points. */
  size: number;
  text: string;
}

export interface LaidPage {
  width: number;
  height: number;
  /** Top to bottom. */
  lines: LaidLine[];
}

const PAGE_NUMBER = [
  /^[-—–－~～·•\s]*\d{1,4}[-—–－~～·•\s]*$/,
  /^第\s*\d{1,4}\s*页\s*[,，、/]?\s*(共\s*\d{1,4}\s*页)?$/,
  /^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$/,
  /^\d{1,4}\s*\/\s*\d{1,4}$/,
  /^page\s*\d{1,4}(\s*(of|\/)\s*\d{1,4})?$/i,
];
const CLOSED = /[。！？!?；;：:…”」』）)]$/;
const HEADING = /^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]|第[一二三四五六七八九十\d]+[条章节])/;

export function isPageNumber(text: string): boolean {
  const t = text.trim();
  return t !== '' && PAGE_NUMBER.some((re) => re.test(t));
}

/** How many lines at the top and bottom of a page may be page furniture. */
const EDGE = 2;

/** The paragraphs of a laid-out document, in reading order. */
export function reflow(pages: LaidPage[]): string[] {
  const bodySize = bodyMetrics(pages.flatMap((p) => p.lines)).size;
  const clean = pages.map((p, i) => dropFurniture(p, pages, i, bodySize));
  const all = clean.flat();
  if (all.length === 0) return [];
  const whole = bodyMetrics(all);
  // Margins page by page where a page has enough body lines: printed for binding, odd and even
  // pages may sit at different offsets.
  const margins: Body[] = [];
  clean.forEach((lines, i) => {
    const own = lines.filter((l) => Math.abs(l.size - whole.size) <= whole.size * 0.15);
    if (own.length >= 6) margins.push({ ...bodyMetrics(own), size: whole.size, pitch: whole.pitch });
    // Too few lines to tell (a last page): the page two before shares its binding side; else
    // the whole document's, moved out to where this page's lines start.
    else margins.push(margins[i - 2] ?? { ...whole, left: Math.min(whole.left, ...own.map((l) => l.x0)) });
  });
  const out: string[] = [];
  let open: { text: string; last: LaidLine; page: number } | null = null;
  clean.forEach((lines, pageIndex) => {
    lines.forEach((line, lineIndex) => {
      // How far below the open paragraph's last line this one sits; 0 from a page's end to the next page's top.
      const next = open === null ? Infinity : open.page === pageIndex ? open.last.y - line.y : lineIndex === 0 && open.page === pageIndex - 1 ? 0 : Infinity;
      const continues =
        open !== null &&
        ((next <= Math.max(whole.pitch * 1.35, 1.5 * line.size) && wraps(open.last, line, margins[open.page] as Body, margins[pageIndex] as Body)) ||
          (next <= 2 * line.size && titleWraps(open.last, line, whole, pages[pageIndex] as LaidPage)));
      if (continues && open !== null) {
        open.text += glue(open.text, line.text) + line.text;
        open.last = line;
        open.page = pageIndex;
        return;
      }
      if (open !== null) out.push(open.text);
      open = { text: line.text, last: line, page: pageIndex };
    });
  });
  if (open !== null) out.push((open as { text: string }).text);
  return out;
}

interface Body {
  size: number;
  left: number;
  right: number;
  /** The usual distance from one body line to the next: more than that is a paragraph gap. */
  pitch: number;
}

/** The body text's size and margins: the size most characters are set in, and its usual edges. */
function bodyMetrics(lines: LaidLine[]): Body {
  const sizes = new Map<number, number>();
  for (const l of lines) sizes.set(Math.round(l.size), (sizes.get(Math.round(l.size)) ?? 0) + l.text.length);
  const size = [...sizes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
  const inBody = lines.filter((l) => Math.abs(l.size - size) <= size * 0.15);
  const left = mode(inBody.map((l) => l.x0));
  // The right margin: the edge most lines reach (full lines), not the longest line; ragged text
  // reaches it in no two lines alike, so there the edge nine lines in ten stay within.
  const ends = inBody.map((l) => l.x1).sort((a, b) => a - b);
  const usual = mode(ends);
  const right = ends.filter((x) => Math.abs(x - usual) <= 1).length >= ends.length / 4 ? usual : (ends[Math.floor(ends.length * 0.9)] ?? usual);
  const steps = inBody.slice(1).map((l, i) => (inBody[i] as LaidLine).y - l.y).filter((d) => d > 0 && d < size * 4);
  const pitch = steps.length > 0 ? mode(steps) : size * 1.5;
  return { size, left, right, pitch };
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(Math.round(v), (counts.get(Math.round(v)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
}

/** A body line that filled its line runs on into the next line when that one starts at the margin. */
function wraps(prev: LaidLine, line: LaidLine, prevPage: Body, page: Body): boolean {
  const size = line.size;
  if (Math.abs(prev.size - size) > size * 0.15) return false;
  // Full, or short by less than the number or Latin word that opens the next line (it did not fit).
  const word = /^[A-Za-z0-9.,%:/@_-]+/.exec(line.text)?.[0].length ?? 0;
  if (prev.x1 < prevPage.right - 1.2 * size - word * 0.6 * size) return false;
  if (line.x0 > page.left + 0.5 * size || prev.x0 < prevPage.left - 0.5 * size) return false;
  // Paragraphs set flush left: a full line that closes a sentence, then a heading, is two paragraphs.
  return !(CLOSED.test(prev.text) && HEADING.test(line.text));
}

/** A title set larger than the body and centred, wrapped onto the next centred line. */
function titleWraps(prev: LaidLine, line: LaidLine, body: Body, page: LaidPage): boolean {
  const size = line.size;
  if (size < body.size * 1.1 || Math.abs(prev.size - size) > size * 0.1 || CLOSED.test(prev.text)) return false;
  const centred = (l: LaidLine) => Math.abs((l.x0 + l.x1) / 2 - page.width / 2) <= 1.5 * size || Math.abs((l.x0 + l.x1) / 2 - (body.left + body.right) / 2) <= 1.5 * size;
  return centred(prev) && centred(line);
}

function glue(before: string, after: string): string {
  return /[A-Za-z0-9,.;:]$/.test(before) && /^[A-Za-z0-9]/.test(after) && !/-$/.test(before) ? ' ' : '';
}

/** The page's lines without its page number and running head or foot. */
function dropFurniture(page: LaidPage, pages: LaidPage[], index: number, bodySize: number): LaidLine[] {
  const lines = page.lines.filter((l) => l.text.trim() !== '');
  const edge = (i: number) => i < EDGE || i >= lines.length - EDGE;
  const kept = lines.filter((line, i) => {
    if (!edge(i)) return true;
    if (isPageNumber(line.text)) return false;
    return !(pages.length >= 2 && repeats(line, pages, index));
  });
  if (index === 0 || kept.length < 3) return kept;
  // A head printed on this page alone (none on the first, a different one on each page) still
  // stands apart: smaller than the body text and a blank line or more above the text under it.
  const [first, second] = kept as [LaidLine, LaidLine];
  return first.size < bodySize * 0.9 && first.y - second.y > 1.8 * bodySize ? kept.slice(1) : kept;
}

/** A line at this place and size, with the same text up to its digits, on other pages too. */
function repeats(line: LaidLine, pages: LaidPage[], index: number): boolean {
  const key = (t: string) => t.replace(/\d+/g, '#').replace(/\s+/g, '');
  const k = key(line.text);
  if (k.length === 0) return false;
  let others = 0;
  pages.forEach((page, i) => {
    if (i === index) return;
    const n = page.lines.length;
    const hit = page.lines.some((l, j) => (j < EDGE || j >= n - EDGE) && Math.abs(l.y - line.y) <= 2 && Math.abs(l.size - line.size) <= 0.5 && key(l.text) === k);
    if (hit) others++;
  });
  return others >= 1;
}
