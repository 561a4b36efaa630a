/**
 * The records every stage passes along. A Notice is one report by one organisation; a Passage is
 * the unit a user reads and the unit compared for similar measures.
 */

export type Level = '省' | '市' | '县' | '区' | '医院' | '其他';
export type Inspection = '巡视' | '巡察';

export interface Region {
  province: string | null;
  city: string | null;
  county: string | null;
}

export interface Passage {
  /** Stable: derived from the notice id and the passage's normalized text. */
  id: string;
  noticeId: string;
  /** Headings from the outermost in, e.g. ["二、巡察反馈问题整改落实情况", "(一)…", "1.…"]. */
  headingPath: string[];
  /** The problem this passage answers, where the notice states one before its 整改情况. */
  problem: string | null;
  /** Original text as it stands in the notice (traditional characters kept). */
  text: string;
  /** Searchable form: simplified characters, half-width punctuation, collapsed spaces. */
  normText: string;
  /** 0-based order within the notice. */
  position: number;
}

export interface Notice extends Region {
  /** Stable: hash of the notice's normalized text. */
  id: string;
  title: string;
  org: string | null;
  level: Level;
  inspection: Inspection | null;
  /** ISO dates (YYYY-MM-DD) where the text states them. */
  inspectionStart: string | null;
  inspectionEnd: string | null;
  feedbackDate: string | null;
  publishDate: string | null;
  /** File path (relative to the indexed root) or URL the notice came from. */
  source: string;
  /** The page's own URL, where it was given (upload, --url, a URL: first line). */
  sourceUrl: string | null;
  /** Values of the page's 来源/作者/浏览次数 lines, kept as metadata. */
  meta: Record<string, string>;
  passages: Passage[];
}
