/**
 * Feeds of a search: the newest notices that match a query and filters, for readers and other
 * systems that follow a topic (医保基金 in 四川省). One entry per notice: its title, org, region and
 * publish date, its matching passages as the summary, a link to the notice's own page.
 *
 * Atom comes from the `feed` package. JSON Feed is written here: `feed` writes version 1 only,
 * and 1.1 (`authors`, `language`) is one plain object.
 */
import { Feed } from 'feed';
import type { Filters } from './filter.ts';
import type { Hit } from './search.ts';

export interface FeedRequest {
  q: string;
  filters: Filters;
  /** Absolute URL of the site (ends with /): links are made from it. */
  base: string;
  /** Absolute URL of this feed. */
  self: string;
}

export interface FeedEntry {
  id: string;
  title: string;
  url: string;
  org: string | null;
  region: string;
  /** ISO date (YYYY-MM-DD), or null when the notice names none. */
  published: string | null;
  /** How many passages of the notice match. */
  matches: number;
  /** Where the notice was published, when known (http or https only). */
  sourceUrl: string | null;
  /** The best matching passages, plain text. */
  passages: string[];
  /** The same as HTML: escaped text with <mark> around the matches (the API's highlight). */
  passagesHtml: string[];
}

const FILTER_LABELS: Array<[keyof Filters, string]> = [
  ['province', ''], ['city', ''], ['county', ''], ['level', '级别 '], ['inspection', ''], ['year', ''], ['from', '自 '], ['to', '至 '],
];

/** What the feed follows, in words: 医保基金 · 四川省. */
export function feedTopic(req: Pick<FeedRequest, 'q' | 'filters'>): string {
  const parts = [req.q.trim(), ...FILTER_LABELS.filter(([k]) => req.filters[k] !== undefined && req.filters[k] !== '').map(([k, label]) => `${label}${req.filters[k]}`)];
  return parts.filter(Boolean).join(' · ') || '全部通报';
}

/** The search page for this query and these filters. */
export function pageUrl(req: Pick<FeedRequest, 'q' | 'filters' | 'base'>): string {
  const u = new URL(req.base);
  if (req.q) u.searchParams.set('q', req.q);
  for (const [k] of FILTER_LABELS) {
    const v = req.filters[k];
    if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
  }
  return u.href;
}

/** group=notice hits (newest first) → entries; the link opens the notice at its best passage, `q` marked. */
export function feedEntries(hits: readonly Hit[], base: string, q = ''): FeedEntry[] {
  return hits.map((h) => {
    const n = h.notice;
    const url = new URL(`notices/${encodeURIComponent(h.noticeId)}`, base);
    if (q) url.searchParams.set('q', q);
    url.hash = h.id;
    const best = h.passages?.length ? h.passages : [{ id: h.id, highlight: h.highlight, headingPath: h.headingPath }];
    return {
      id: h.noticeId,
      title: n.title || n.org || h.noticeId,
      url: url.href,
      org: n.org,
      region: [n.province, n.city, n.county].filter(Boolean).join(' '),
      published: n.publishDate,
      matches: h.matches ?? best.length,
      sourceUrl: webUrl(n.sourceUrl),
      passages: best.map((p) => plainText(p.highlight)),
      passagesHtml: best.map((p) => p.highlight),
    };
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The API's highlight (escaped text with <mark>) as plain text. */
function plainText(highlight: string): string {
  return highlight.replace(/<\/?mark>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!);
}

/** Notices are dated by day in China: midnight Beijing time. */
function dateOf(day: string | null): Date | null {
  return day ? new Date(`${day}T00:00:00+08:00`) : null;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function headOf(e: FeedEntry): string {
  return [e.org, e.region, e.published, `${e.matches} 段匹配`].filter(Boolean).join(' · ');
}

function summaryOf(e: FeedEntry): string {
  return [headOf(e), ...e.passages.map((p) => `……${p}`), ...(e.sourceUrl ? [`原文:${e.sourceUrl}`] : [])].join('\n');
}

/** Atom's html text constructs are read as HTML: everything from a notice is escaped but the marks. */
function summaryHtml(e: FeedEntry): string {
  const source = e.sourceUrl ? [`<p>原文:<a href="${escapeHtml(e.sourceUrl)}">${escapeHtml(e.sourceUrl)}</a></p>`] : [];
  return [`<p>${escapeHtml(headOf(e))}</p>`, ...e.passagesHtml.map((p) => `<p>……${p}</p>`), ...source].join('');
}

/** A link a reader may follow: http(s) only, so a stored value can never become a javascript: link. */
function webUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * The feed's own date: its newest entry's. An undated notice (listed last, newest first) gets the
 * oldest entry's date: Atom needs one, and the time of the request would make readers show it
 * as new on every fetch. `now` only when no entry is dated.
 */
function datesOf(entries: readonly FeedEntry[], now: Date): { newest: Date; oldest: Date } {
  const times = entries.map((e) => dateOf(e.published)?.getTime()).filter((t): t is number => t !== undefined);
  return times.length ? { newest: new Date(Math.max(...times)), oldest: new Date(Math.min(...times)) } : { newest: now, oldest: now };
}

export function atomFeed(req: FeedRequest, entries: readonly FeedEntry[], now = new Date()): string {
  const topic = feedTopic(req);
  const { newest, oldest } = datesOf(entries, now);
  const feed = new Feed({
    id: req.self,
    title: `巡视巡察整改通报:${topic}`,
    description: `最新的包含“${topic}”的巡视巡察整改通报`,
    link: pageUrl(req),
    language: 'zh-CN',
    updated: newest,
    generator: 'notice-search',
    feedLinks: { atom: req.self },
    copyright: '各通报版权归原发布机构所有',
    author: { name: '巡视巡察整改通报检索', link: req.base },
  });
  for (const e of entries) {
    const date = dateOf(e.published) ?? oldest;
    feed.addItem({
      id: `urn:notice-search:notice:${e.id}`,
      // `feed` declares entry titles and summaries type="html".
      title: escapeHtml(e.title),
      link: e.url,
      date,
      ...(e.published ? { published: date } : {}),
      description: summaryHtml(e),
      author: [{ name: e.org ?? e.region ?? '未署名' }],
      category: e.region ? [{ term: e.region }] : [],
    });
  }
  return feed.atom1();
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
export function jsonFeed(req: FeedRequest, entries: readonly FeedEntry[]): object {
  const topic = feedTopic(req);
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: `巡视巡察整改通报:${topic}`,
    home_page_url: pageUrl(req),
    feed_url: req.self,
    description: `最新的包含“${topic}”的巡视巡察整改通报`,
    language: 'zh-CN',
    authors: [{ name: '巡视巡察整改通报检索', url: req.base }],
    items: entries.map((e) => ({
      id: `urn:notice-search:notice:${e.id}`,
      url: e.url,
      ...(e.sourceUrl ? { external_url: e.sourceUrl } : {}),
      title: e.title,
      summary: summaryOf(e),
      content_text: summaryOf(e),
      content_html: summaryHtml(e),
      ...(e.published ? { date_published: dateOf(e.published)!.toISOString() } : {}),
      authors: [{ name: e.org ?? e.region ?? '未署名' }],
      tags: [e.region].filter(Boolean),
      _notice: { org: e.org, region: e.region, publishDate: e.published, matches: e.matches },
    })),
  };
}
