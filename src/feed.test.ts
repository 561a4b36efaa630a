import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { atomFeed, feedEntries, feedTopic, jsonFeed, pageUrl, type FeedRequest } from './feed.ts';
import type { Hit } from './search.ts';

const hit = (noticeId: string, title: string, publishDate: string | null, highlight: string, matches: number, sourceUrl: string | null = null): Hit => ({
  id: `${noticeId}-p1`,
  noticeId,
  text: highlight.replace(/<\/?mark>/g, ''),
  highlight,
  headingPath: ['一、整改情况'],
  problem: null,
  position: 1,
  notice: { title, org: '某县卫生健康局党组', province: '四川省', city: '遂宁市', county: '蓬溪县', level: '县', inspection: '巡察', publishDate, sourceUrl },
  score: 1,
  matches,
  passages: [
    { id: `${noticeId}-p1`, highlight, headingPath: ['一、整改情况'] },
    { id: `${noticeId}-p2`, highlight: '加强<mark>医保基金</mark>监管 &amp; 专项检查', headingPath: [] },
  ],
});

const req: FeedRequest = {
  q: '医保基金',
  filters: { province: '四川省' },
  base: 'https://search.example.gov.cn/',
  self: 'https://search.example.gov.cn/api/feed.atom?q=%E5%8C%BB%E4%BF%9D%E5%9F%BA%E9%87%91&province=%E5%9B%9B%E5%B7%9D%E7%9C%81',
};
const hits = [
  hit('n2', '关于巡察整改进展情况的通报 <script>&', '2025-03-01', '规范<mark>医保基金</mark>使用', 3),
  hit('n1', '另一份通报', null, '<mark>医保基金</mark>专款专用', 1),
];

describe('feeds', () => {
  it('names the topic and links the search page of the same query and filters', () => {
    expect(feedTopic(req)).toBe('医保基金 · 四川省');
    expect(new URL(pageUrl(req)).searchParams.get('province')).toBe('四川省');
    expect(feedTopic({ q: '', filters: {} })).toBe('全部通报');
  });

  it('one entry per notice, linked to its own page at its best passage, its passages as plain text', () => {
    const entries = feedEntries(hits, req.base);
    expect(entries[0]).toMatchObject({ id: 'n2', url: 'https://search.example.gov.cn/notices/n2#n2-p1', region: '四川省 遂宁市 蓬溪县', matches: 3 });
    expect(entries[0]!.passages).toEqual(['规范医保基金使用', '加强医保基金监管 & 专项检查']);
  });

  it('writes Atom that an XML parser accepts, with the required elements, escaped', () => {
    const xml = atomFeed(req, feedEntries(hits, req.base), new Date('2026-01-01T00:00:00Z'));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'link', 'author'].includes(name) }).parse(xml);
    const feed = doc.feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(req.self);
    expect(feed.title).toContain('医保基金 · 四川省');
    expect(feed.updated).toBe('2025-02-28T16:00:00.000Z');
    expect(feed.link.map((l: Record<string, string>) => l['@_rel'])).toEqual(expect.arrayContaining(['alternate', 'self']));
    expect(feed.entry).toHaveLength(2);
    const [first, second] = feed.entry;
    // type="html": a reader renders it, so markup from a notice arrives escaped.
    expect(first.title['@_type']).toBe('html');
    expect(first.title['#text']).toContain('&lt;script&gt;&amp;');
    expect(first.link[0]['@_href']).toBe('https://search.example.gov.cn/notices/n2#n2-p1');
    expect(first.id).toBe('urn:notice-search:notice:n2');
    expect(first.published).toBe('2025-02-28T16:00:00.000Z');
    const summary = String(first.summary['#text']);
    expect(summary).toContain('规范<mark>医保基金</mark>使用');
    expect(summary).toContain('监管 &amp; 专项检查');
    expect(summary).toContain('3 段匹配');
    expect(first.category['@_term']).toBe('四川省 遂宁市 蓬溪县');
    expect(first.author[0].name).toBe('某县卫生健康局党组');
    // An undated notice still has the updated date Atom requires: the oldest entry's, not the time of the request.
    expect(second.updated).toBe('2025-02-28T16:00:00.000Z');
    expect(second.published).toBeUndefined();
  });

  it('writes JSON Feed 1.1', () => {
    const feed = jsonFeed({ ...req, self: req.self.replace('.atom', '.json') }, feedEntries(hits, req.base)) as Record<string, any>;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toContain('/api/feed.json');
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({ id: 'urn:notice-search:notice:n2', url: 'https://search.example.gov.cn/notices/n2#n2-p1', date_published: '2025-02-28T16:00:00.000Z' });
    expect(feed.items[0].content_text).toContain('规范医保基金使用');
    expect(feed.items[1].date_published).toBeUndefined();
    expect(feed.authors[0].name).toBeTruthy();
  });

  it('links where a notice was published, as a reader may follow it: http(s) only, escaped', () => {
    const sourced = [
      hit('n3', '有原文的通报', '2025-04-01', '<mark>医保基金</mark>', 1, 'https://wsjkw.example.gov.cn/art/2025/4/1/art_1.html?a=1&b=2'),
      hit('n4', '来源可疑的通报', '2025-04-02', '<mark>医保基金</mark>', 1, 'javascript:alert(1)'),
    ];
    const entries = feedEntries(sourced, req.base);
    expect(entries.map((e) => e.sourceUrl)).toEqual(['https://wsjkw.example.gov.cn/art/2025/4/1/art_1.html?a=1&b=2', null]);
    const json = jsonFeed(req, entries) as { items: Array<Record<string, unknown>> };
    expect(json.items[0]!.external_url).toBe(entries[0]!.sourceUrl);
    expect(json.items[1]).not.toHaveProperty('external_url');
    const xml = atomFeed(req, entries, new Date('2026-01-01T00:00:00Z'));
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(xml);
    const [withSource, withoutSource] = doc.feed.entry.map((e: { summary: { '#text': string } }) => String(e.summary['#text']));
    expect(withSource).toContain('原文:<a href="https://wsjkw.example.gov.cn/art/2025/4/1/art_1.html?a=1&amp;b=2">');
    expect(withoutSource).not.toContain('原文');
    expect(withoutSource).not.toContain('javascript');
  });
});
