/**
 * Keyword search against a real Meilisearch over the bundled corpus, through the HTTP app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startStack, ROOT, type Stack } from './helpers/stack.ts';
import { allPassages, evaluateQuery, evaluateTerm, type TruthPassage } from './eval/keyword.ts';
import { normalize } from '../src/normalize.ts';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

let stack: Stack;
let passages: TruthPassage[];

beforeAll(async () => {
  stack = await startStack();
  passages = await allPassages(stack);
});
afterAll(async () => stack?.close());

async function expectExact(query: string, forms: string[][] = [[query]]) {
  const r = await evaluateTerm(stack, passages, query, forms);
  expect({ query, precision: r.precision, recall: r.recall, total: r.total, facets: r.facetMismatches }).toEqual({
    query, precision: 1, recall: 1, total: r.truth, facets: [],
  });
  return r;
}

describe('exactness', () => {
  const spec = JSON.parse(readFileSync(`${ROOT}test/data/keyword.public.json`, 'utf8')) as { terms: string[]; synonyms: Record<string, string[]> };

  it('indexes the whole corpus', () => {
    expect(passages.length).toBeGreaterThan(300);
  });

  it.each(spec.terms)('public term %s: every passage containing it, only those, true counts', async (term) => {
    const r = await expectExact(term, [[term, ...(spec.synonyms[term] ?? [])]]);
    expect(r.truth).toBeGreaterThan(0);
  });

  it.each(['医疗废弃物', '蓬溪县', '整改', '健康', '三张清单', '民主集中制', 'drg', 'icu', '2024年', '县卫生健康局党组'])(
    'other term %s',
    async (term) => {
      const r = await expectExact(term);
      expect(r.truth).toBeGreaterThan(0);
    },
  );

  it('holds for substrings of the corpus nobody chose (2 to 12 characters)', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const terms = new Set<string>();
    while (terms.size < 40) {
      const p = passages[Math.floor(rnd() * passages.length)]!;
      const len = 2 + Math.floor(rnd() * 11);
      const start = Math.floor(rnd() * Math.max(1, p.normText.length - len));
      const t = p.normText.slice(start, start + len).trim();
      if (t.length >= 2 && !/["\s＂]/.test(t)) terms.add(t);
    }
    for (const t of terms) await expectExact(`"${t}"`, [[t]]);
  });

  it('any member of a synonym group finds the passages of every member', async () => {
    const group = ['医共体', '医疗卫生共同体', '医疗共同体'];
    const totals = [];
    for (const member of group) totals.push((await expectExact(member, [group])).total);
    expect(new Set(totals).size).toBe(1);
    const literal = passages.filter((p) => p.normText.includes('医疗卫生共同体')).length;
    expect(literal).toBeGreaterThan(0);
    expect(totals[0]).toBeGreaterThan(literal);
  });

  it('a term absent from the corpus finds nothing', async () => {
    const r = await expectExact('量子纠缠');
    expect(r.truth).toBe(0);
  });

  it('multi-term queries need all terms, in any order', async () => {
    const a = await expectExact('医共体 人才', [['医共体', '医疗卫生共同体', '医疗共同体'], ['人才']]);
    const b = await expectExact('人才 医共体', [['人才'], ['医共体', '医疗卫生共同体', '医疗共同体']]);
    expect(a.total).toBe(b.total);
    await expectExact('巡察 整改 台账', [['巡察'], ['整改'], ['台账']]);
  });

  it('a quoted phrase is one term; spaces between Chinese characters do not matter', async () => {
    await expectExact('"巡察整改"', [['巡察整改']]);
    const spaced = await stack.call(`/api/search?q=${encodeURIComponent('"巡察 整改"')}`);
    const plain = await stack.call(`/api/search?q=${encodeURIComponent('巡察整改')}`);
    expect(spaced.body.total).toBe(plain.body.total);
  });

  it('traditional characters, full width and case find the same passages', async () => {
    const simp = await stack.call(`/api/search?q=${encodeURIComponent('医德医风')}&limit=100`);
    const trad = await stack.call(`/api/search?q=${encodeURIComponent('醫德醫風')}&limit=100`);
    expect(trad.body.total).toBe(simp.body.total);
    expect(trad.body.hits.map((h: { id: string }) => h.id)).toEqual(simp.body.hits.map((h: { id: string }) => h.id));
    const upper = await stack.call(`/api/search?q=ＩＣＵ`);
    const lower = await stack.call(`/api/search?q=icu`);
    expect(upper.body.total).toBe(lower.body.total);
    expect(lower.body.total).toBeGreaterThan(0);
  });

  it('a single character finds every passage that has it', async () => {
    await expectExact('蓬');
  });
});

describe('exactness of - and |', () => {
  // The declared groups, read from the dictionary file itself: the truth does not use the parser.
  const groups = readFileSync(`${ROOT}data/dict/synonyms.txt`, 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(normalize));
  const formsOf = (t: string) => groups.find((g) => g.includes(t)) ?? [t];
  const has = (text: string, t: string) => formsOf(t).some((f) => text.includes(f));

  /** A query as clauses: each clause a list of alternatives, or one excluded term. */
  interface Expr { all: string[][]; not: string[] }
  const toQuery = (e: Expr, quote: (t: string) => string) =>
    [...e.all.map((alts) => alts.map(quote).join(' | ')), ...e.not.map((t) => `-${quote(t)}`)].join(' ');
  const truthOf = (e: Expr) => (text: string) =>
    e.all.every((alts) => alts.some((t) => has(text, t))) && !e.not.some((t) => has(text, t));

  async function expectExpr(e: Expr, quote: (t: string) => string = (t) => t) {
    const query = toQuery(e, quote);
    const r = await evaluateQuery(stack, passages, query, truthOf(e));
    expect({ query, precision: r.precision, recall: r.recall, total: r.total, facets: r.facetMismatches }).toEqual({
      query, precision: 1, recall: 1, total: r.truth, facets: [],
    });
    return r;
  }

  it('医共体 -紧密型: only passages without 紧密型, the true total and counts', async () => {
    const r = await expectExpr({ all: [['医共体']], not: ['紧密型'] });
    const withIt = passages.filter((p) => has(p.normText, '医共体')).length;
    expect(r.truth).toBeGreaterThan(0);
    expect(r.truth).toBeLessThan(withIt);
  });

  it('医共体 | 医联体, and alternatives beside a required term', async () => {
    const r = await expectExpr({ all: [['医共体', '医联体']], not: [] });
    expect(r.truth).toBeGreaterThan(passages.filter((p) => has(p.normText, '医共体')).length);
    await expectExpr({ all: [['整改'], ['台账', '清单']], not: ['问责'] });
    await expectExpr({ all: [['医疗废弃物', '医疗废物'], ['管理']], not: [] });
    // Nothing matches: an empty id list, still a true zero.
    expect((await expectExpr({ all: [['量子纠缠', '薛定谔']], not: [] })).truth).toBe(0);
    // A single character beside alternatives, and a long phrase beside an exclusion.
    await expectExpr({ all: [['蓬'], ['医共体', '村卫生室']], not: [] });
    await expectExpr({ all: [['县卫生健康局党组']], not: ['巡察'] });
  });

  it('holds for random expressions of corpus substrings against the truth', async () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const substring = (text: string) => {
      for (let tries = 0; tries < 20; tries++) {
        const len = 2 + Math.floor(rnd() * 5);
        const start = Math.floor(rnd() * Math.max(1, text.length - len));
        const t = text.slice(start, start + len);
        if (Array.from(t).length >= 2 && /^[^\s"＂|｜\-－]+$/u.test(t)) return t;
      }
      return '整改';
    };
    // Terms drawn from passages that hold the required term, so exclusions and alternatives bite.
    const near = (t: string) => substring(pick(passages.filter((p) => p.normText.includes(t))).normText);
    let narrowed = 0;
    let widened = 0;
    for (let i = 0; i < 30; i++) {
      const a = substring(pick(passages).normText);
      const shape = i % 4;
      const e: Expr =
        shape === 0 ? { all: [[a]], not: [near(a)] }
        : shape === 1 ? { all: [[a, substring(pick(passages).normText)]], not: [] }
        : shape === 2 ? { all: [[a], [near(a), near(a)]], not: [near(a)] }
        : { all: [[a, near(a)]], not: [near(a)] };
      const r = await expectExpr(e, i % 3 === 0 ? (t) => `"${t}"` : (t) => t);
      const requiredOnly = passages.filter((p) => e.all.every((alts) => has(p.normText, alts[0]!))).length;
      if (r.truth < requiredOnly) narrowed++;
      if (r.truth > requiredOnly) widened++;
    }
    // Not vacuous: some exclusions took passages out and some alternatives brought more in.
    expect(narrowed).toBeGreaterThan(3);
    expect(widened).toBeGreaterThan(3);
  });

  it('pages and groups by notice over an expression', async () => {
    const q = encodeURIComponent('整改 台账 | 清单 -问责');
    const full = await stack.call(`/api/search?q=${q}&limit=100`);
    const paged = await stack.call(`/api/search?q=${q}&limit=5&offset=5`);
    expect(paged.body.total).toBe(full.body.total);
    expect(paged.body.hits.map((h: { id: string }) => h.id)).toEqual(full.body.hits.slice(5, 10).map((h: { id: string }) => h.id));
    const grouped = await stack.call(`/api/search?q=${q}&group=notice&limit=100`);
    const notices = new Set(full.body.hits.map((h: { noticeId: string }) => h.noticeId));
    expect(grouped.body.total).toBe(notices.size);
    // Each notice card: its true number of matching passages, and its best two, highlighted.
    const truth = truthOf({ all: [['整改'], ['台账', '清单']], not: ['问责'] });
    for (const h of grouped.body.hits) {
      const own = passages.filter((p) => p.noticeId === h.noticeId && truth(p.normText));
      expect(h.matches).toBe(own.length);
      expect(h.passages.length).toBe(Math.min(2, own.length));
      expect(h.passages[0].id).toBe(h.id);
      for (const m of h.passages) {
        expect(own.map((p) => p.id)).toContain(m.id);
        expect(m.highlight).toContain('<mark>');
      }
    }
    for (const h of full.body.hits) {
      expect(h.highlight).not.toMatch(/<mark>问责<\/mark>/);
      expect(h.highlight).toMatch(/<mark>(台账|清单|整改)<\/mark>/);
    }
  });

  it.each([
    ['医共体 -', 'must be followed directly by the term'],
    ['| 医共体', 'needs a term on each side'],
    ['"巡察整改', 'is not closed'],
    ['-紧密型', 'at least one term'],
  ])('bad syntax %s → 400 saying what is wrong', async (q, says) => {
    const { status, body } = await stack.call(`/api/search?q=${encodeURIComponent(q)}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('QUERY_SYNTAX');
    expect(body.error.message).toContain(says);
  });
});

describe('results', () => {
  it('highlights every hit with <mark> and escapes the rest', async () => {
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('医共体')}&limit=100`);
    expect(body.hits.length).toBeGreaterThan(0);
    for (const h of body.hits) {
      expect(h.highlight).toContain('<mark>');
      const unescaped = h.highlight.replace(/<\/?mark>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      expect(unescaped).toBe(h.text);
      expect(h.highlight.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
  });

  it('ranks passages where the term is central above passing mentions', async () => {
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('村卫生室')}&limit=100`);
    const count = (t: string) => normalize(t).split('村卫生室').length - 1;
    const first = body.hits.slice(0, 3).map((h: { text: string }) => count(h.text));
    const last = body.hits.slice(-3).map((h: { text: string }) => count(h.text));
    expect(Math.min(...first)).toBeGreaterThanOrEqual(Math.max(...last));
  });

  it('filters narrow results and facet counts agree', async () => {
    const all = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&limit=1`);
    const province = Object.keys(all.body.facets.province)[0]!;
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&province=${encodeURIComponent(province)}&limit=100`);
    expect(body.total).toBe(all.body.facets.province[province]);
    for (const h of body.hits) expect(h.notice.province).toBe(province);
    expect(Object.keys(body.facets.province)).toEqual([province]);
  });

  it('county filter: 蓬溪县', async () => {
    const { status, body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&county=${encodeURIComponent('蓬溪县')}`);
    expect(status).toBe(200);
    expect(body.total).toBeGreaterThan(0);
    expect(body.facets.county).toEqual({ 蓬溪县: body.total });
  });

  it('hostile filter values never reach other regions', async () => {
    for (const v of ['四川省" OR province != "x', '四川省\\" OR province != \\"x', "四川省' OR 1=1", '") OR (province EXISTS']) {
      const { status, body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&province=${encodeURIComponent(v)}`);
      expect([200, 400]).toContain(status);
      if (status === 200) expect(body.total).toBe(0);
    }
  });

  it('pages cover the result once each, aligned or not', async () => {
    const full = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&limit=100`);
    const ids: string[] = [];
    for (let offset = 0; offset < Math.min(full.body.total, 100); offset += 7) {
      const { body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&limit=7&offset=${offset}`);
      expect(body.total).toBe(full.body.total);
      ids.push(...body.hits.map((h: { id: string }) => h.id));
    }
    expect(ids).toEqual(full.body.hits.map((h: { id: string }) => h.id).slice(0, ids.length));
    const odd = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&limit=5&offset=3`);
    expect(odd.body.hits.map((h: { id: string }) => h.id)).toEqual(full.body.hits.slice(3, 8).map((h: { id: string }) => h.id));
  });

  it('sorts by date, newest first', async () => {
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&sort=date&limit=100`);
    const dates = body.hits.map((h: { notice: { publishDate: string | null } }) => h.notice.publishDate ?? '');
    const dated = dates.filter(Boolean);
    expect(dated.length).toBeGreaterThan(0);
    expect([...dated].sort().reverse()).toEqual(dated);
  });

  it('groups by notice: one hit per notice', async () => {
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&group=notice&limit=100`);
    const notices = body.hits.map((h: { noticeId: string }) => h.noticeId);
    expect(new Set(notices).size).toBe(notices.length);
    expect(body.total).toBe(notices.length);
  });

  it('only the facets asked for are counted', async () => {
    const { body } = await stack.call(`/api/search?q=${encodeURIComponent('整改')}&facets=province`);
    expect(Object.keys(body.facets.province).length).toBeGreaterThan(0);
    expect(body.facets.county).toEqual({});
  });
});

describe('feeds', () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'link'].includes(name) });

  it.each([
    ['医共体', '四川省'],
    ['医保基金', undefined],
    ['医共体 | 医联体 -紧密型', undefined],
  ])('feed.atom?q=%s&province=%s: valid Atom, one entry per matching notice, newest first', async (q, province) => {
    const qs = new URLSearchParams({ q, ...(province ? { province } : {}) });
    const res = await stack.app.request(`http://search.example/api/feed.atom?${qs}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe(`http://search.example/api/feed.atom?${qs}`);

    // The truth: notices with a passage that satisfies the query, within the filter.
    const search = await stack.call(`/api/search?${qs}&limit=100`);
    const matching = new Set<string>(search.body.hits.map((h: { noticeId: string }) => h.noticeId));
    const truthNotices = new Set(passages.filter((p) => (!province || p.province === province) && search.body.hits.some((h: { id: string }) => h.id === p.id)).map((p) => p.noticeId));
    expect(search.body.total).toBeLessThanOrEqual(100);
    expect(matching).toEqual(truthNotices);
    const entries = feed.entry ?? [];
    expect(entries.length).toBe(Math.min(20, matching.size));
    const ids = entries.map((e: { id: string }) => e.id.replace('urn:notice-search:notice:', ''));
    expect(new Set(ids)).toEqual(matching);
    const dates = entries.map((e: { updated: string }) => e.updated);
    expect([...dates].sort().reverse()).toEqual(dates);
    for (const e of entries) {
      const link = new URL(e.link[0]['@_href']);
      expect(link.pathname).toBe(`/notices/${e.id.replace('urn:notice-search:notice:', '')}`);
      expect(link.searchParams.get('q')).toBe(q);
      expect(search.body.hits.map((h: { id: string }) => h.id)).toContain(link.hash.slice(1));
      expect(String(e.summary['#text'])).toMatch(/<mark>/);
    }
  });

  it('feed.json is JSON Feed 1.1 with the same notices; bad syntax is a 400', async () => {
    const qs = new URLSearchParams({ q: '医共体', province: '四川省' });
    const atom = parser.parse(await (await stack.app.request(`http://search.example/api/feed.atom?${qs}`)).text()).feed;
    const res = await stack.app.request(`http://search.example/api/feed.json?${qs}`);
    expect(res.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const json = await res.json() as { version: string; feed_url: string; items: Array<{ id: string; url: string; content_html: string }> };
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe(`http://search.example/api/feed.json?${qs}`);
    expect(json.items.map((i) => i.id)).toEqual(atom.entry.map((e: { id: string }) => e.id));
    expect((await stack.call(`/api/feed.atom?q=${encodeURIComponent('医共体 |')}`)).status).toBe(400);
    expect((await stack.call('/api/feed.json?limit=51')).status).toBe(400);
  });
});

describe('validation', () => {
  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['mode=fuzzy', 'mode'],
    [`q=${'医'.repeat(201)}`, 'q'],
    ['year=abc', 'year'],
    ['from=2024-1-1', 'from'],
    ['offset=-1', 'offset'],
    ['facets=color', 'facets'],
  ])('%s → 400 naming %s', async (qs, param) => {
    const { status, body } = await stack.call(`/api/search?${qs}`);
    expect(status).toBe(400);
    expect(body.error.message.startsWith(param)).toBe(true);
  });
});

describe('documents', () => {
  it('lists notices, opens one with its passages in order, and opens a passage', async () => {
    const list = await stack.call('/api/notices?limit=100');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(5);
    const first = list.body.notices[0];
    const one = await stack.call(`/api/notices/${first.id}`);
    expect(one.body.title).toBe(first.title);
    const positions = one.body.passages.map((p: { position: number }) => p.position);
    expect(positions).toEqual([...positions].sort((a: number, b: number) => a - b));
    const passage = await stack.call(`/api/passages/${one.body.passages[0].id}`);
    expect(passage.body.noticeId).toBe(first.id);
    expect((await stack.call('/api/notices/doesnotexist')).status).toBe(404);
    expect((await stack.call('/api/passages/bad%20id')).status).toBe(400);
  });

  it('suggests indexed terms containing what was typed', async () => {
    const { body } = await stack.call(`/api/suggest?q=${encodeURIComponent('巡察')}`);
    expect(body.suggestions.length).toBeGreaterThan(0);
    for (const s of body.suggestions) expect(s).toContain('巡察');
  });

  it('suggests from pinyin: full, spaced, initials and mixed, commonest first', async () => {
    for (const typed of ['yigongti', 'yi gong ti', 'ygt', '医gt', 'YGT']) {
      const { body } = await stack.call(`/api/suggest?q=${encodeURIComponent(typed)}`);
      expect({ typed, first: body.suggestions[0] }).toEqual({ typed, first: '医共体' });
    }
    // Homophones are all spelled: xuncha is 巡察 and 巡查.
    const { body } = await stack.call(`/api/suggest?q=${encodeURIComponent('xuncha')}&limit=20`);
    expect(body.suggestions).toEqual(expect.arrayContaining(['巡察', '巡查']));
    for (const s of body.suggestions) expect(s).toMatch(/^巡(察|查)/);
  });

  it('offers the domain dictionary\'s terms wherever passages hold them, central or not', async () => {
    const held = passages.filter((p) => p.normText.includes('医保基金')).length;
    expect(held).toBeGreaterThan(0);
    for (const typed of ['医保', 'yibaojijin', 'ybjj']) {
      const { body } = await stack.call(`/api/suggest?q=${encodeURIComponent(typed)}`);
      expect(body.suggestions).toContain('医保基金');
    }
  });

  it('reads a polyphone either way: 重 in 重点 as zhong', async () => {
    const { body } = await stack.call(`/api/suggest?q=${encodeURIComponent('zhongdian')}`);
    expect(body.suggestions.length).toBeGreaterThan(0);
    for (const s of body.suggestions) expect(s.startsWith('重点')).toBe(true);
  });

  it('healthz reports counts once searchable; openapi lists the routes', async () => {
    const h = await stack.call('/healthz');
    expect(h.status).toBe(200);
    expect(h.body.passages).toBe(passages.length);
    const o = await stack.call('/openapi.json');
    expect(Object.keys(o.body.paths)).toContain('/api/search');
    const limit = o.body.paths['/api/search'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 100 });
  });

  it('answers GET search routes to any origin by default', async () => {
    const res = await stack.app.request('/api/search?q=x', { headers: { Origin: 'https://example.gov.cn' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
