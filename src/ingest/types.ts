/** The records ingestion produces: a file's readable lines, or the reason it was skipped. */

/** Pages (read as text, synchronously) and laid-out documents (read by ingestFile). */
export type Format = 'txt' | 'html' | 'md' | 'pdf' | 'docx' | 'doc';

/** Why a file was not parsed; a caller reports it and goes on with the rest of the batch. */
export type SkipReason =
  | 'unsupported-type'
  | 'empty'
  | 'binary'
  | 'undecodable'
  | 'no-text'
  /** A PDF of page images (a scan). */
  | 'no-text-layer'
  /** A PDF or Word file that needs a password. */
  | 'encrypted'
  /** A PDF or Word file whose structure is broken. */
  | 'corrupt'
  /** A .docx that would unpack to more than is accepted (a zip bomb). */
  | 'too-large';

export interface Skipped {
  source: string;
  reason: SkipReason;
  detail: string;
}

export interface SourceLine {
  /** 1-based line number in the decoded text (for .txt: the file's own line numbers). */
  no: number;
  /** The line as written, trimmed; '' for a blank line (blank lines tell paragraphs apart). */
  text: string;
}

export interface SourceDoc {
  source: string;
  format: Format;
  /** Name of the encoding the bytes were decoded from, e.g. UTF-8, GB18030, Big5. */
  encoding: string;
  /** Readable lines with site chrome removed. */
  lines: SourceLine[];
  /** Values of the page's 来源 / 发布时间 / 作者 / 浏览次数 / 原文链接 … lines, raw. */
  meta: Record<string, string>;
  /** The page's own title (HTML <h1>/<title>, Markdown front matter or # heading), if any. */
  titleHint: string | null;
}

export type IngestResult = { ok: true; doc: SourceDoc } | { ok: false; skipped: Skipped };

/** The paragraphs of a laid-out document (PDF, Word), or why there are none. */
export type Extracted =
  | { ok: true; paragraphs: string[] }
  | { ok: false; reason: 'no-text-layer' | 'encrypted' | 'corrupt' | 'too-large' | 'empty'; detail: string };
