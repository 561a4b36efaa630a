/**
 * Notices and passages as engine documents. A passage document carries its notice's facets
 * (region, level, year, inspection) so that one search yields hits and true counts together.
 */
import type { Notice, Passage } from './notice.ts';
import { encodeText } from './grams.ts';
import { isoToDay } from './filter.ts';
import type { SynonymIndex } from './synonyms.ts';

export interface NoticeFacets {
  province: string | null;
  city: string | null;
  county: string | null;
  level: string;
  inspection: string | null;
  year: number | null;
  publishDate: string | null;
  /** Days since 1970 of publishDate, for sorting and date ranges. */
  publishDay: number | null;
}

/** The index run's bookkeeping on a notice: which of its holders (indexer/holders.ts) its fields came from. */
export interface SourceFields {
  /** Hash of the source path: the file the notice's fields and passages were taken from. */
  sourceKey: string;
  /** Hash of that file's bytes (and page URL) when it was indexed. */
  contentHash: string;
}

/** One file or page that carries a notice, as the public sees it: never a server path. */
export interface NoticeSource {
  /** Upload name, or the path inside the folder indexed. */
  name: string;
  url: string | null;
}

export interface PassageDoc extends NoticeFacets {
  id: string;
  noticeId: string;
  title: string;
  org: string | null;
  sourceUrl: string | null;
  headingPath: string[];
  problem: string | null;
  text: string;
  normText: string;
  position: number;
  /** Index-only fields (see grams.ts and synonyms.ts); never displayed. */
  kw: string;
  grams: string;
  syn: string[];
  /** The passage's embedding (settings.ts EMBEDDER), set by the embed stage when vectors are on. */
  _vectors?: Record<string, number[] | null>;
}

export interface NoticeDoc extends NoticeFacets, SourceFields {
  id: string;
  title: string;
  org: string | null;
  /** The name of the holder the fields came from (the first of `sources`). */
  source: string;
  /** Every file or page that carries the notice, the one its fields came from first. */
  sources: NoticeSource[];
  sourceUrl: string | null;
  inspectionStart: string | null;
  inspectionEnd: string | null;
  feedbackDate: string | null;
  passageCount: number;
  meta: Record<string, string>;
}

/** The passage fields the engine returns (its displayed attributes, settings.ts); the rest are index-only. */
export const PASSAGE_FIELDS = [
  'id', 'noticeId', 'title', 'org', 'sourceUrl', 'headingPath', 'problem', 'text', 'normText', 'position',
  'province', 'city', 'county', 'level', 'inspection', 'year', 'publishDate',
] as const satisfies ReadonlyArray<keyof PassageDoc>;

export type PassageField = (typeof PASSAGE_FIELDS)[number];

/** A passage as the engine returns it. */
export type StoredPassage = Pick<PassageDoc, PassageField>;

export function noticeFacets(n: Notice): NoticeFacets {
  const dated = n.publishDate ?? n.feedbackDate ?? n.inspectionEnd ?? n.inspectionStart;
  return {
    province: n.province,
    city: n.city,
    county: n.county,
    level: n.level,
    inspection: n.inspection,
    year: dated ? Number(dated.slice(0, 4)) : null,
    publishDate: n.publishDate,
    publishDay: n.publishDate ? isoToDay(n.publishDate) : null,
  };
}

export interface DocumentContext {
  synonyms: SynonymIndex;
  /** Central terms of a passage (normalized substrings of it), most central first. */
  keywords: (normText: string) => string[];
}

/** `keywords`: from DocumentContext.keywords, computed once by the caller (it also counts them). */
export function passageDoc(n: Notice, p: Passage, synonyms: SynonymIndex, keywords: string[]): PassageDoc {
  const central = keywords.filter((k) => p.normText.includes(k));
  const syn = synonyms.wordsIn(p.normText);
  const centralGroups = new Set(central.map((k) => synonyms.groupOf(k)?.word));
  // Keywords are separate phrases: a hard separator keeps a phrase from running across two.
  const kw = [...syn.filter((w) => centralGroups.has(w)), ...central.map(encodeText)].join(' . ');
  return {
    id: p.id,
    noticeId: n.id,
    title: n.title,
    org: n.org,
    sourceUrl: n.sourceUrl,
    headingPath: p.headingPath,
    problem: p.problem,
    text: p.text,
    normText: p.normText,
    position: p.position,
    ...noticeFacets(n),
    kw,
    grams: encodeText(p.normText),
    syn,
  };
}

export function noticeDoc(n: Notice, src: SourceFields, sources: NoticeSource[]): NoticeDoc {
  return {
    id: n.id,
    title: n.title,
    org: n.org,
    source: n.source,
    sources,
    sourceUrl: n.sourceUrl,
    inspectionStart: n.inspectionStart,
    inspectionEnd: n.inspectionEnd,
    feedbackDate: n.feedbackDate,
    passageCount: n.passages.length,
    meta: n.meta,
    ...noticeFacets(n),
    ...src,
  };
}

/** A suggestion term (the `terms` index): a central term of passages, weighted by how many hold it. */
export interface TermDoc {
  id: string;
  term: string;
  weight: number;
  grams: string;
  /** Pinyin keys of the term (src/pinyin.ts): full readings and initials. */
  py: string[];
}
