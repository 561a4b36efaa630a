/**
 * The search page in headless Chromium against the real server (engine, API and page on one port):
 * what a visitor does, step by step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSearch, noticeOf, parseCsv, passageOf, shownTotal, uploadXss, usePageSuite, watchForScripts, XSS_WORD } from './browser.ts';

const suite = usePageSuite();
const openSearch = (page: Page, q: string) => suite.openSearch(page, { q });

describe('search page', () => {
  it('suggests as you type, then shows highlighted results and where the term occurs', async () => {
    const page = await suite.browser.newPage();
    await page.goto(suite.server.url + '/');
    await expect(page.locator('#intro').isVisible()).resolves.toBe(true);

    await page.locator('#q').pressSequentially('医共');
    await page.waitForSelector('#suggestions li');
    expect(await page.locator('#suggestions li').allTextContents()).toContain('医共体');
    await page.locator('#q').press('ArrowDown');
    await expect(page.locator('#suggestions li').first().getAttribute('aria-selected')).resolves.toBe('true');
    await page.locator('#q').press('Escape');
    await page.locator('#q').pressSequentially('体');
    await page.locator('#q').press('Enter');

    const api = await apiSearch(suite.stack, { q: '医共体' });
    expect(await shownTotal(page)).toBe(api.total);
    expect(new URL(page.url()).searchParams.get('q')).toBe('医共体');
    const hits = page.locator('#results .hit');
    expect(await hits.count()).toBe(Math.min(api.total, 20));
    for (const hit of await hits.all()) {
      expect(await hit.locator('.text mark').allTextContents()).toContain('医共体');
      expect(await hit.locator('.title').textContent()).toBeTruthy();
    }
    // The first hit shows its notice's title, org, region and date.
    const first = api.hits[0]!;
    const card = hits.first();
    expect(await card.locator('.title').textContent()).toBe(first.notice.title);
    const meta = (await card.locator('.meta').textContent())!;
    for (const part of [first.notice.org, first.notice.province, first.notice.publishDate]) if (part) expect(meta).toContain(part);

    // Where: one bar per province with its count; when: one bar per year.
    const where = await page.locator('#chart-where .bar').evaluateAll((bars) => bars.map((b) => [b.getAttribute('data-value'), b.querySelector('.n')!.textContent]));
    expect(Object.fromEntries(where)).toEqual(Object.fromEntries(Object.entries(api.facets.province).map(([k, v]) => [k, String(v)])));
    expect(await page.locator('#chart-year .bar').count()).toBe(Object.keys(api.facets.year).length);
    await page.close();
  });

  it('narrows the list and the counts when a county bar is clicked, and the back button undoes it', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, '医共体');
    const before = await shownTotal(page);

    await page.click('#where-by [data-by=county]');
    await page.waitForSelector('#chart-where[data-level=county] .bar');
    const county = await page.locator('#chart-where .bar').first().getAttribute('data-value');
    expect(county).toBeTruthy();
    await page.click(`#chart-where .bar[data-value="${county}"]`);
    await page.waitForURL((u) => u.searchParams.get('county') === county);

    const api = await apiSearch(suite.stack, { q: '医共体', county: county! });
    const after = await shownTotal(page);
    expect(after).toBe(api.total);
    expect(after).toBeLessThan(before);
    expect(await page.locator('#results .hit').count()).toBe(Math.min(after, 20));
    for (const region of await page.locator('#results .hit .region').allTextContents()) expect(region).toContain(county);
    // The facet counts are those of the narrowed results.
    const provinces = await page.locator('.facet[data-facet=province]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-value'), e.querySelector('.n')!.textContent]));
    expect(Object.fromEntries(provinces)).toEqual(Object.fromEntries(Object.entries(api.facets.province).map(([k, v]) => [k, String(v)])));
    expect(await page.locator('#chips .chip').first().textContent()).toContain(county);

    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('county'));
    expect(await shownTotal(page)).toBe(before);

    // A facet in the side list narrows the same way, and its chip removes it again.
    await page.click('.facet[data-facet=level][data-value="县"]');
    await page.waitForURL((u) => u.searchParams.get('level') === '县');
    expect(await shownTotal(page)).toBe((await apiSearch(suite.stack, { q: '医共体', level: '县' })).total);
    await page.click('#chips .chip');
    await page.waitForURL((u) => !u.searchParams.has('level'));
    expect(await shownTotal(page)).toBe(before);
    await page.close();
  });

  it('opens a result as its notice, with the passage in place and similar measures from elsewhere', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, '医共体');
    const api = await apiSearch(suite.stack, { q: '医共体' });
    const hit = api.hits[1]!;

    await page.locator('#results .hit .title').nth(1).click();
    await page.waitForSelector('#notice-view:not([hidden]) .passage.target');
    const url = new URL(page.url());
    expect(noticeOf(url)).toBe(hit.noticeId);
    expect(passageOf(url)).toBe(hit.id);

    expect(await page.locator('.notice-title').textContent()).toBe(hit.notice.title);
    const target = page.locator('.passage.target');
    expect(await target.getAttribute('data-id')).toBe(hit.id);
    expect(await target.locator('.ptext').textContent()).toBe(hit.text);
    expect(await target.locator('mark').first().textContent()).toBe('医共体');
    // Scrolled to: the passage is on screen.
    const inView = await target.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(inView).toBe(true);
    // Its heading path is shown beside it, and its headings above it in the notice.
    expect(await page.locator('#similar-for').textContent()).toContain(hit.headingPath.at(-1));
    const headings = await page.locator('.notice-body .heading').allTextContents();
    expect(headings).toContain(hit.headingPath[0]);

    const similar = await suite.stack.call<{ hits: Array<{ id: string; noticeId: string }> }>(`/api/passages/${hit.id}/similar?limit=8`);
    if (similar.status === 200 && similar.body.hits.length > 0) {
      await page.waitForSelector('.similar-list li');
      const links = page.locator('.similar-list a.title');
      expect(await links.count()).toBe(similar.body.hits.length);
      const notices = await links.evaluateAll((as) => as.map((a) => a.getAttribute('data-notice')));
      expect(notices).toEqual(similar.body.hits.map((h) => h.noticeId));
      for (const n of notices) expect(n).not.toBe(hit.noticeId);
      // Each links to its own notice, opened at that measure.
      await links.first().click();
      await page.waitForURL((u) => passageOf(u) === similar.body.hits[0]!.id);
      await page.waitForSelector(`.passage.target[data-id="${similar.body.hits[0]!.id}"]`);
      expect(noticeOf(page.url())).toBe(similar.body.hits[0]!.noticeId);
      await page.goBack();
      await page.waitForSelector(`.passage.target[data-id="${hit.id}"]`);
    } else {
      expect(similar.status).toBe(503);
      await page.waitForSelector('#similar .note[data-unavailable=MODEL_UNAVAILABLE]');
    }

    await page.click('#back');
    await page.waitForSelector('#search-view:not([hidden]) #results .hit');
    expect(noticeOf(page.url())).toBeNull();
    await page.close();
  });

  it('pages through results and switches between exact keyword and hybrid search', async () => {
    const page = await suite.browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/search')) requests.push(r.url());
    });
    await openSearch(page, '医疗');
    const total = await shownTotal(page);
    expect(total).toBeGreaterThan(20);
    const facetsOnPage1 = await page.locator('#facets').textContent();
    await page.click('#pager a[aria-label=下一页]');
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await page.waitForSelector('#search-view:not([aria-busy]) #total');
    const page2 = await apiSearch(suite.stack, { q: '医疗', offset: '20', limit: '20' });
    expect(await page.locator('#results').getAttribute('start')).toBe('21');
    expect(await page.locator('#results .hit .text').first().textContent()).toBe(page2.hits[0]!.text);
    expect(await page.locator('#pager [aria-current=page]').textContent()).toBe('2');
    // Page 2 asks for no facets (they are those of page 1) and still shows them.
    expect(new URL(requests.at(-1)!).searchParams.get('facets')).toBe('none');
    expect(await page.locator('#facets').textContent()).toBe(facetsOnPage1);

    await page.check('input[name=mode][value=hybrid]');
    await page.waitForURL((u) => u.searchParams.get('mode') === 'hybrid' && !u.searchParams.has('page'));
    const hybrid = await suite.stack.call(`/api/search?q=${encodeURIComponent('医疗')}&mode=hybrid`);
    if (hybrid.status === 200) {
      await page.waitForSelector('#search-view:not([aria-busy]) #results .hit');
      expect(await page.locator('#summary').textContent()).toContain('混合检索');
    } else {
      await page.waitForSelector('#error:not([hidden])');
      expect(await page.locator('#error').textContent()).toContain('语义模型');
    }
    await page.check('input[name=mode][value=keyword]');
    await page.waitForURL((u) => !u.searchParams.has('mode'));
    expect(await shownTotal(page)).toBe(total);
    await page.close();
  });

  it('exports every hit of the current query as CSV with a BOM', async () => {
    const page = await suite.browser.newPage();
    await openSearch(page, '医疗');
    const total = await shownTotal(page);
    expect(total).toBeGreaterThan(100); // more than one API page
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual(['序号', '通报标题', '发文机构', '省', '市', '县区', '级别', '类型', '发布日期', '章节', '段落', '段落ID', '通报ID', '链接']);
    const data = rows.slice(1);
    expect(data.length).toBe(total);
    expect(new Set(data.map((r) => r[11])).size).toBe(total);
    for (const r of data) {
      expect(r).toHaveLength(14);
      expect(r[10]).toContain('医疗');
    }
    expect(passageOf(data[0]![13]!)).toBe(data[0]![11]);
    await page.waitForFunction(() => document.getElementById('export-status')!.textContent!.includes('已导出'));
    await page.close();
  });

  it('is usable at phone width and from the keyboard', async () => {
    const phone = await suite.browser.context.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    await phone.goto(suite.server.url + '/');
    await phone.keyboard.press('Tab'); // skip link
    await phone.keyboard.press('Tab'); // home link
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('q');
    await phone.keyboard.type('医共体');
    await phone.keyboard.press('Enter');
    await phone.waitForSelector('#search-view:not([aria-busy]) #results .hit');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // Filters fold away on a phone; the chart's bars are links reachable with Tab and Enter.
    expect(await phone.locator('#filters').getAttribute('open')).toBeNull();
    const bar = phone.locator('#chart-where .bar').first();
    const value = await bar.getAttribute('data-value');
    await bar.focus();
    await phone.keyboard.press('Enter');
    await phone.waitForURL((u) => u.searchParams.get('province') === value);
    await phone.close();
  });

  it('shows markup in a passage as text and runs no script from it', async () => {
    await uploadXss(suite.stack);
    const page = await suite.browser.newPage();
    const seen = watchForScripts(page);
    await page.addInitScript(() => {
      (window as unknown as { __xss?: number }).__xss = undefined;
    });
    await openSearch(page, XSS_WORD);
    expect(await shownTotal(page)).toBe(1);
    const text = (await page.locator('#results .hit .text').textContent())!;
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#results .hit .text mark').textContent()).toBe(XSS_WORD);
    expect(await page.locator('#results .hit .crumbs').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#main img, #main script').count()).toBe(0);

    await page.click('#results .hit .title');
    await page.waitForSelector('.passage.target');
    expect(await page.locator('.passage.target .ptext').textContent()).toContain('<script>window.__xss=1</script>');
    expect(await page.locator('.notice-body').textContent()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#main img, #main script').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});
