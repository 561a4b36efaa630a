/**
 * The search box as Chinese users meet it, in headless Chromium against the real server: the
 * query syntax on the page (checked against the truth from the corpus), the 按通报 view, keyboard
 * only use, recent searches, the syntax help, and axe-core's accessibility rules on every view.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allPassages, type TruthPassage } from '../eval/keyword.ts';
import { apiSearch, axeViolations, noticeOf, passageOf, shownTotal, usePageSuite } from './browser.ts';

let passages: TruthPassage[];
const suite = usePageSuite(async ({ stack }) => {
  passages = await allPassages(stack);
});
const openSearch = suite.openSearch;

describe('query syntax on the page', () => {
  it('医共体 -紧密型 shows only passages without 紧密型, and its total is the truth from the corpus', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, { q: '医共体 -紧密型' });
    const group = ['医共体', '医疗卫生共同体', '医疗共同体'];
    const truth = passages.filter((p) => group.some((g) => p.normText.includes(g)) && !p.normText.includes('紧密型'));
    expect(truth.length).toBeGreaterThan(0);
    expect(await shownTotal(page)).toBe(truth.length);
    const texts = await page.locator('#results .hit .text').allTextContents();
    expect(texts.length).toBe(Math.min(truth.length, 20));
    for (const t of texts) expect(t).not.toContain('紧密型');
    // Excluded terms are not marked; the wanted one is.
    expect(await page.locator('#results .hit mark').allTextContents()).not.toContain('紧密型');
    await page.close();
  });

  it('bad syntax shows what is wrong, and the syntax help opens and closes from the keyboard', async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/?q=${encodeURIComponent('医共体 |')}`);
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toContain('needs a term on each side');
    await page.focus('#help-toggle');
    await page.keyboard.press('Enter');
    expect(await page.isVisible('#syntax-help')).toBe(true);
    expect(await page.getAttribute('#help-toggle', 'aria-expanded')).toBe('true');
    expect(await page.textContent('#syntax-help')).toContain('医共体 -紧密型');
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#syntax-help')).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('help-toggle');
    await page.close();
  });
});

describe('按通报 / 按段落', () => {
  it('by notice: one card per notice, each with its true number of matching passages and its best two', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, { q: '医共体' });
    const byPassage = await shownTotal(page);
    await page.check('input[name=group][value=notice]');
    await page.waitForURL((u) => u.searchParams.get('group') === 'notice');
    await page.waitForSelector('#search-view:not([aria-busy]) .notice-hit');

    const group = ['医共体', '医疗卫生共同体', '医疗共同体'];
    const perNotice = new Map<string, number>();
    for (const p of passages) if (group.some((g) => p.normText.includes(g))) perNotice.set(p.noticeId, (perNotice.get(p.noticeId) ?? 0) + 1);
    expect(await shownTotal(page)).toBe(perNotice.size);
    expect(perNotice.size).toBeLessThan(byPassage);

    const cards = await page.locator('#results .notice-hit').evaluateAll((els) => els.map((e) => ({
      notice: e.getAttribute('data-notice')!,
      matches: Number(e.getAttribute('data-matches')),
      shown: e.querySelectorAll('.best > li').length,
      marked: [...e.querySelectorAll('.best mark')].map((m) => m.textContent),
    })));
    expect(cards.length).toBe(perNotice.size);
    expect(new Set(cards.map((c) => c.notice)).size).toBe(cards.length);
    for (const c of cards) {
      expect(c.matches).toBe(perNotice.get(c.notice));
      expect(c.shown).toBe(Math.min(2, c.matches));
      expect(c.marked.length).toBeGreaterThan(0);
    }
    expect(await axeViolations(page)).toEqual([]);

    await page.check('input[name=group][value=passage]');
    await page.waitForSelector('#search-view:not([aria-busy]) #results .hit:not(.notice-hit)');
    expect(await shownTotal(page)).toBe(byPassage);
    await page.close();
  });
});

describe('keyboard and recent searches', () => {
  it('/, type, ↓, Enter, Esc: a search without the mouse; Ctrl-K comes back to the box', async () => {
    const page = await suite.browser.newPage();
    await page.goto(suite.server.url + '/');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type('ygt');
    await page.waitForSelector('#suggestions li');
    expect(await page.getAttribute('#q', 'aria-expanded')).toBe('true');
    expect(await page.locator('#suggestions li').first().textContent()).toBe('医共体');
    await page.keyboard.press('ArrowDown');
    const active = await page.getAttribute('#q', 'aria-activedescendant');
    expect(await page.getAttribute(`#${active}`, 'aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('q') === '医共体');
    await page.waitForSelector('#search-view:not([aria-busy]) #total');
    // The count is announced: it sits in a polite live region.
    expect(await page.getAttribute('#summary', 'aria-live')).toBe('polite');
    expect(await page.textContent('#summary')).toContain(String(await shownTotal(page)));

    await page.keyboard.press('Control+k');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    // Ctrl-K selects the box's text, so this types a new query; waiting for its own suggestion
    // (not any list, such as the recent searches a blank box offers) means no answer is pending.
    await page.keyboard.type('ygt');
    await page.waitForSelector('#suggestions li:has-text("医共体")');
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#suggestions')).toBe(false);
    expect(await page.getAttribute('#q', 'aria-expanded')).toBe('false');
    await page.close();
  });

  it('keeps recent searches in the browser, offers them in the empty box, and clears them', async () => {
    const page = await suite.browser.newPage();
    await page.goto(suite.server.url + '/');
    await page.evaluate(() => localStorage.clear());
    for (const q of ['台账', '一岗双责']) {
      await page.fill('#q', q);
      await page.press('#q', 'Enter');
      await page.waitForURL((u) => u.searchParams.get('q') === q);
    }
    await page.goto(suite.server.url + '/');
    expect(await page.locator('#recent-list a').allTextContents()).toEqual(['一岗双责', '台账']);
    await page.focus('#q');
    await page.waitForSelector('#suggestions li');
    expect(await page.locator('#suggestions li').allTextContents()).toEqual(['一岗双责', '台账']);
    expect(await page.getAttribute('#suggestions', 'aria-label')).toBe('最近检索');
    await page.keyboard.press('Escape');
    await page.click('#recent-clear');
    expect(await page.isVisible('#recent')).toBe(false);
    expect(await page.evaluate(() => localStorage.getItem('notice-search:recent'))).toBeNull();
    await page.close();
  });
});

describe('feed link', () => {
  it('links the Atom feed of the current query and filters; it parses and its entries match the query', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, { q: '医共体 -紧密型', province: '四川省' });
    const href = await page.getAttribute('#feed', 'href');
    const url = new URL(href!, suite.server.url);
    expect(url.pathname).toBe('/api/feed.atom');
    expect(url.searchParams.get('q')).toBe('医共体 -紧密型');
    expect(url.searchParams.get('province')).toBe('四川省');
    expect(await page.getAttribute('link[rel=alternate][type="application/atom+xml"]', 'href')).toBe(href);

    // Parsed by the browser's own XML parser, as a reader would.
    const feed = await page.evaluate(async (u) => {
      const xml = await (await fetch(u)).text();
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      const ns = 'http://www.w3.org/2005/Atom';
      return {
        error: doc.getElementsByTagName('parsererror').length,
        root: doc.documentElement.namespaceURI + ' ' + doc.documentElement.localName,
        entries: [...doc.getElementsByTagNameNS(ns, 'entry')].map((e) => ({
          id: e.getElementsByTagNameNS(ns, 'id')[0]!.textContent!,
          link: e.getElementsByTagNameNS(ns, 'link')[0]!.getAttribute('href')!,
          summary: e.getElementsByTagNameNS(ns, 'summary')[0]!.textContent!,
        })),
      };
    }, url.href);
    expect(feed.error).toBe(0);
    expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
    const api = await apiSearch(suite.stack, { q: '医共体 -紧密型', province: '四川省', group: 'notice', sort: 'date', limit: '20' });
    expect(api.total).toBeGreaterThan(0);
    expect(feed.entries.map((e) => e.id.replace('urn:notice-search:notice:', ''))).toEqual(api.hits.map((h) => h.noticeId));
    for (const e of feed.entries) {
      expect(e.summary).toContain('<mark>');
      expect(e.summary).not.toContain('紧密型');
      // The entry's link opens the notice's own page at its best passage.
      const target = await suite.browser.newPage();
      await target.goto(e.link);
      await target.waitForSelector('#notice-view:not([hidden]) .passage.target');
      expect(await target.locator('.passage.target mark').count()).toBeGreaterThan(0);
      await target.close();
    }
    await page.close();
  });
});

describe("a notice's own page", () => {
  it('notices/<id>#<passage> opens the notice at the passage, reloads, and prints without the search chrome', async () => {
    const hit = (await apiSearch(suite.stack, { q: '医共体' })).hits[2]!;
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/notices/${hit.noticeId}?q=${encodeURIComponent('医共体')}#${hit.id}`);
    await page.waitForSelector(`.passage.target[data-id="${hit.id}"]`);
    expect(await page.locator('.notice-title').textContent()).toBe(hit.notice.title);
    expect(await page.locator('.passage.target mark').first().textContent()).toBe('医共体');
    // The anchor is the passage's own id, so the fragment alone finds it.
    expect(await page.evaluate((id) => document.getElementById(id)?.classList.contains('target'), hit.id)).toBe(true);
    expect(noticeOf(page.url())).toBe(hit.noticeId);
    expect(passageOf(page.url())).toBe(hit.id);
    await page.reload();
    await page.waitForSelector(`.passage.target[data-id="${hit.id}"]`);

    await page.emulateMedia({ media: 'print' });
    for (const chrome of ['.top', '.similar', '.foot', '#back']) expect(await page.isVisible(chrome)).toBe(false);
    expect(await page.isVisible('.notice-body')).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.click('#back');
    await page.waitForSelector('#search-view:not([hidden]) #results .hit');
    expect(noticeOf(page.url())).toBeNull();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

describe('accessibility (axe-core)', () => {
  it('0 violations on the empty page, with recent searches, with the help and the suggestions open', async () => {
    const page = await suite.browser.newPage();
    await page.goto(suite.server.url + '/');
    expect(await axeViolations(page)).toEqual([]);
    await page.evaluate(() => localStorage.setItem('notice-search:recent', JSON.stringify(['医共体'])));
    await page.reload();
    await page.click('#help-toggle');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#q');
    await page.keyboard.type('医共');
    await page.waitForSelector('#suggestions li');
    await page.keyboard.press('ArrowDown');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('0 violations with results and facets, and in the notice view', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, { q: '医共体' });
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('#results .hit .title').first().click();
    await page.waitForSelector('#notice-view:not([hidden]) .passage.target');
    await page.waitForSelector('#similar:not(:empty) :is(.similar-list, .note, .muted)');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('focus is visible: the focused box and links get an outline', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, { q: '医共体' });
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.close();
  });
});
