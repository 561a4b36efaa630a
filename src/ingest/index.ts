/**
 * Ingest: bytes of one scraped page → its readable lines, without the site around them.
 *
 * Pages (.txt / .html / .md) are read by ingest(), synchronously; ingestFile() reads any file,
 * laid-out documents too (.pdf, .docx, .doc: pdf.ts, word.ts), whose libraries are asynchronous.
 * Decoding, format handling and chrome removal live here; what the lines
 * mean (notices, headings, passages) is left to split, structure and enrich. The text is kept as
 * written (traditional characters included); searchable forms come from normalize().
 *
 * @example
 * const result = ingest('000.txt', bytes);
 * if (result.ok) console.log(result.doc.encoding, result.doc.lines.length, result.doc.meta['来源']);
 * else console.log(result.skipped.reason, result.skipped.detail);
 */
import { binarySignature, controlRatio, decode, declaredCharset } from './decode.ts';
import { stripChrome } from './chrome.ts';
import { htmlToText } from './html.ts';
import { markdownToText } from './markdown.ts';
import { sameText } from './shadow.ts';
import { isTitleLine } from '../title.ts';
import { unifyIdeographs } from './ideographs.ts';
import { pdfText } from './pdf.ts';
import type { Format, IngestResult, SkipReason, SourceLine } from './types.ts';
import { wordText } from './word.ts';

export type { Format, IngestResult, SkipReason, Skipped, SourceDoc, SourceLine } from './types.ts';
export { decode, type Decoded } from './decode.ts';
export { shadow } from './shadow.ts';
export { stripChrome, type Stripped } from './chrome.ts';
export { decodeEntities, htmlToText, type PageText } from './html.ts';
export { markdownToText } from './markdown.ts';
export { isPageNumber, reflow, type LaidLine, type LaidPage } from './reflow.ts';

const FORMATS: Record<string, Format> = { txt: 'txt', text: 'txt', html: 'html', htm: 'html', md: 'md', markdown: 'md', pdf: 'pdf', docx: 'docx', doc: 'doc' };
const LAID_OUT = new Set<Format>(['pdf', 'docx', 'doc']);
const READ = 'only .txt, .html/.htm, .md, .pdf, .docx and .doc files are read';

/** The format a file name implies, or null when the extension is not one we read. */
export function formatOf(name: string): Format | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  return FORMATS[name.slice(dot + 1).toLowerCase()] ?? null;
}

export function ingest(source: string, bytes: Uint8Array): IngestResult {
  const skip = (reason: SkipReason, detail: string): IngestResult => ({ ok: false, skipped: { source, reason, detail } });
  const format = formatOf(source);
  if (format === null) return skip('unsupported-type', READ);
  if (LAID_OUT.has(format)) return skip('unsupported-type', `.${format} files are read by ingestFile()`);
  if (bytes.length === 0) return skip('empty', 'the file has no bytes');
  const binary = binarySignature(bytes);
  if (binary !== null) return skip('binary', binary);

  const declared = format === 'html' ? declaredCharset(bytes) : null;
  const decoded = decode(bytes, declared);
  if (!decoded.ok) return skip(decoded.reason, decoded.detail);
  if (decoded.text.trim() === '') return skip('empty', 'the file holds only white space');
  if (controlRatio(decoded.text) > 0.01) return skip('binary', `decoded as ${decoded.encoding} but full of control characters`);

  const page = format === 'html' ? htmlToText(decoded.text) : format === 'md' ? markdownToText(decoded.text) : { text: decoded.text, title: null, chromeText: '' };
  const { lines, meta, titleAbove } = stripChrome(page.text);
  // Meta lines often sit outside the article block the HTML extractor chose; read them too.
  if (page.chromeText !== '') {
    for (const [key, value] of Object.entries(stripChrome(page.chromeText).meta)) meta[key] ??= value;
  }
  let body = lines;
  // The 信息公开 table's 名称 is the document's title, when the page shows it nowhere else.
  const named = meta['名称'] !== undefined && meta['名称'].length >= 6 ? meta['名称'] : null;
  const title = page.title ?? (titleAbove === null ? named : null);
  const hasTitleLine = lines.slice(0, 40).some((l) => l.text !== '' && isTitleLine(l.text));
  if (title !== null && !hasTitleLine && !lines.some((l) => l.text !== '' && sameText(l.text, title))) {
    // The page title sat outside the chosen block; put it back in front where split looks for it.
    body = [{ no: 0, text: title }, { no: 0, text: '' }, ...lines];
  }
  if (!body.some((l) => /[\p{L}\p{N}]/u.test(l.text))) return skip('no-text', 'no readable text is left once site chrome is removed');
  return { ok: true, doc: { source, format, encoding: decoded.encoding, lines: body, meta, titleHint: title ?? titleAbove } };
}

/**
 * Any file the project reads: pages through ingest(), PDF and Word files through their
 * extractors, whose paragraphs get their misnamed ideographs back (ideographs.ts) and then lose
 * their chrome like a page's lines.
 */
export async function ingestFile(source: string, bytes: Uint8Array): Promise<IngestResult> {
  const format = formatOf(source);
  if (format === null || !LAID_OUT.has(format)) return ingest(source, bytes);
  const skip = (reason: SkipReason, detail: string): IngestResult => ({ ok: false, skipped: { source, reason, detail } });
  if (bytes.length === 0) return skip('empty', 'the file has no bytes');
  const extracted = format === 'pdf' ? await pdfText(bytes) : await wordText(bytes, format === 'docx' ? 'docx' : 'doc');
  if (!extracted.ok) return skip(extracted.reason, extracted.detail);
  // One paragraph a line, a blank line between: the extractor knows where paragraphs end.
  const { lines, meta, titleAbove } = stripChrome(extracted.paragraphs.map(unifyIdeographs).join('\n\n'));
  if (!lines.some((l: SourceLine) => /[\p{L}\p{N}]/u.test(l.text))) return skip('no-text', 'no readable text is left once site chrome is removed');
  const encoding = format === 'pdf' ? 'PDF text layer' : format === 'docx' ? 'Word (.docx)' : 'Word 97-2003 (.doc)';
  return { ok: true, doc: { source, format, encoding, lines, meta, titleHint: titleAbove } };
}
