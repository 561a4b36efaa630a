/**
 * Notices and passages as the document routes show them: one passage, one notice with its
 * passages in order, and the notice list under the search filters. Reads through the engine
 * port; "not found" is `undefined`.
 */
import type { NoticeDoc, PassageDoc, PassageField, SourceFields } from './documents.ts';
import type { Engine } from './engine/port.ts';
import { buildFilter, quote, type Filters } from './filter.ts';
import { HIT_FIELDS, toHit, type Hit } from './search.ts';
import { INDEX } from './settings.ts';

/** What the notice list shows of each notice. */
const NOTICE_SUMMARY_FIELDS = [
  'id', 'title', 'org', 'province', 'city', 'county', 'level', 'inspection', 'publishDate', 'feedbackDate',
  'inspectionStart', 'inspectionEnd', 'passageCount', 'source', 'sources', 'sourceUrl',
] as const satisfies ReadonlyArray<keyof NoticeDoc>;

/** What a notice's page shows of each of its passages. */
const NOTICE_PASSAGE_FIELDS = ['id', 'headingPath', 'problem', 'text', 'position'] as const satisfies readonly PassageField[];

/** A notice as shown: every stored field but the index run's bookkeeping. */
export type ShownNotice = Omit<NoticeDoc, keyof SourceFields>;

export interface NoticeList {
  total: number;
  offset: number;
  limit: number;
  notices: Array<Pick<NoticeDoc, (typeof NOTICE_SUMMARY_FIELDS)[number]>>;
}

/** A notice with its passages in order (`GET /api/notices/:id`). */
export type NoticePage = ShownNotice & { passages: Array<Pick<PassageDoc, (typeof NOTICE_PASSAGE_FIELDS)[number]>> };

export interface Lookup {
  passage(id: string): Promise<Hit | undefined>;
  notice(id: string): Promise<NoticePage | undefined>;
  notices(filters: Filters, offset: number, limit: number): Promise<NoticeList>;
}

/** A notice has at most this many passages (the fetch limit). */
const MAX_PASSAGES = 10_000;

export function createLookup(engine: Engine): Lookup {
  const passages = engine.index<PassageDoc>(INDEX.passages);
  const notices = engine.index<NoticeDoc>(INDEX.notices);

  return {
    async passage(id) {
      const p = await passages.getDocument(id, { fields: HIT_FIELDS });
      return p && toHit(p, []);
    },

    async notice(id) {
      const notice = await notices.getDocument(id);
      if (!notice) return undefined;
      const page = await passages.fetchDocuments({ filter: `noticeId = ${quote(id)}`, limit: MAX_PASSAGES, fields: NOTICE_PASSAGE_FIELDS });
      const { sourceKey: _s, contentHash: _c, ...shown } = notice;
      return { ...shown, passages: page.results.sort((a, b) => a.position - b.position) };
    },

    async notices(filters, offset, limit) {
      // page/hitsPerPage gives the exact total the list shows, but pages start at multiples of
      // the page size: an offset between them spans two pages, cut to the window asked for.
      const search = (page: number) =>
        notices.search({ q: '', filter: buildFilter(filters), sort: ['publishDay:desc'], page, hitsPerPage: limit, attributesToRetrieve: NOTICE_SUMMARY_FIELDS });
      const { first, skip } = noticeWindow(offset, limit);
      const pages = await Promise.all(skip === 0 ? [search(first)] : [search(first), search(first + 1)]);
      const hits = pages.flatMap((p) => p.hits).slice(skip, skip + limit);
      return { total: pages[0]?.totalHits ?? 0, offset, limit, notices: hits };
    },
  };
}

/** The pages of `limit` items that hold items offset..offset+limit-1: the first (1-based) and how many of its items to skip. */
export function noticeWindow(offset: number, limit: number): { first: number; skip: number } {
  return { first: Math.floor(offset / limit) + 1, skip: offset % limit };
}
