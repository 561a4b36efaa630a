/**
 * The embeddable search box on a foreign page: the page is served from a second origin (another
 * port), loads /widget.js from the API's origin and talks to the API across origins.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSearch, axeViolations, noticeOf, passageOf, serveHtml, uploadXss, watchForScripts, XSS_WORD, usePageSuite, type Served } from './browser.ts';

let foreign: Served;

/** A page of another site, with CSS that would break a widget that did not isolate itself. */
const hostPage = (apiOrigin: string, attrs: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>某市卫生健康委员会</title>
<style>* { color: green !important; font-family: serif; } input { border: 5px dotted green; display: none; } a { color: orange; }</style>
</head><body>
<h1>巡察整改通报检索</h1>
<notice-search ${attrs}></notice-search>
<script src="${apiOrigin}/widget.js" async></script>
</body></html>`;

const suite = usePageSuite(async ({ stack, server }) => {
  await uploadXss(stack);
  foreign = await serveHtml({
    '/': hostPage(server.url, 'province="四川省" placeholder="检索四川省的整改通报" limit="5"'),
    '/blank.html': hostPage(server.url, 'province="四川省" target="_blank"'),
    '/notices.html': hostPage(server.url, 'group="notice"'),
  });
  return () => foreign.close();
});

/** Types into the widget and waits for the dropdown for that text. */
async function typeInWidget(page: Page, text: string): Promise<void> {
  const input = page.locator('notice-search input');
  await input.click();
  await input.pressSequentially(text);
  await page.waitForFunction((t) => {
    const root = document.querySelector('notice-search')!.shadowRoot!;
    return root.querySelector('[role=listbox]:not([hidden]) .all')?.getAttribute('href')?.includes(encodeURIComponent(t));
  }, text);
}

describe('<notice-search> on another origin', () => {
  it('shows only results within its preset province, escapes them, and follows a result to the search page', async () => {
    expect(new URL(foreign.url).origin).not.toBe(new URL(suite.server.url).origin);
    const page = await suite.browser.newPage();
    const seen = watchForScripts(page);
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) apiCalls.push(r.url());
    });
    await page.goto(foreign.url + '/');
    const input = page.locator('notice-search input');
    await input.waitFor();
    expect(await input.getAttribute('placeholder')).toBe('检索四川省的整改通报');
    // The host page's CSS (input { display: none }) does not reach into the widget.
    expect(await input.isVisible()).toBe(true);

    await typeInWidget(page, '医共体');
    const api = await apiSearch(suite.stack, { q: '医共体', province: '四川省', limit: '5' });
    expect(api.total).toBeGreaterThan(0);
    expect(api.total).toBeLessThan((await apiSearch(suite.stack, { q: '医共体' })).total);
    const options = page.locator('notice-search a[role=option]:not(.all)');
    const suggestions = await page.locator('notice-search .sg[role=option]').count();
    expect(await options.count()).toBe(Math.min(5, api.total));
    for (const region of await options.locator('i').allTextContents()) expect(region.startsWith('四川省')).toBe(true);
    for (const o of await options.all()) expect(await o.locator('mark').allTextContents()).toContain('医共体');
    expect(await page.locator('notice-search .all').textContent()).toContain(String(api.total));
    // Debounced: one search for the whole word, not one per keystroke; across origins.
    const searches = apiCalls.filter((u) => u.includes('/api/search'));
    expect(searches.length).toBeLessThanOrEqual(2);
    expect(new URL(searches.at(-1)!).origin).toBe(suite.server.url);
    expect(new URL(searches.at(-1)!).searchParams.get('province')).toBe('四川省');

    // Keyboard: past the suggestions, down, down, up selects the first result; Escape closes; Enter follows it.
    for (let i = 0; i < suggestions; i++) await input.press('ArrowDown');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await input.press('ArrowUp');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    await input.press('Escape');
    expect(await page.locator('notice-search [role=listbox]').isVisible()).toBe(false);
    await input.press('ArrowDown');
    expect(await page.locator('notice-search [role=listbox]').isVisible()).toBe(true);
    await input.press('Enter');

    await page.waitForURL((u) => u.origin === suite.server.url && noticeOf(u) !== null);
    const url = new URL(page.url());
    expect(url.searchParams.get('q')).toBe('医共体');
    expect(url.searchParams.get('province')).toBe('四川省');
    expect(passageOf(url)).toBe(api.hits[0]!.id);
    expect(noticeOf(url)).toBe(api.hits[0]!.noticeId);
    await page.waitForSelector(`.passage.target[data-id="${api.hits[0]!.id}"]`);
    expect(await page.locator('.notice-title').textContent()).toBe(api.hits[0]!.notice.title);
    expect(seen.dialogs).toEqual([]);
    await page.close();
  });

  it('suggests from pinyin: ygt offers 医共体, and taking it searches for it', async () => {
    const page = await suite.browser.newPage();
    await page.goto(foreign.url + '/');
    const input = page.locator('notice-search input');
    await input.click();
    await input.pressSequentially('ygt');
    const first = page.locator('notice-search .sg[role=option]').first();
    await first.waitFor();
    expect(await first.textContent()).toBe('医共体');
    expect(await axeViolations(page, 'notice-search')).toEqual([]);
    await input.press('ArrowDown');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await first.getAttribute('id'));
    await input.press('Enter');
    expect(await input.inputValue()).toBe('医共体');
    await page.waitForFunction(() => document.querySelector('notice-search')!.shadowRoot!.querySelector('.all')?.getAttribute('href')?.includes(encodeURIComponent('医共体')));
    const api = await apiSearch(suite.stack, { q: '医共体', province: '四川省', limit: '5' });
    expect(await page.locator('notice-search a[role=option]:not(.all)').count()).toBe(Math.min(5, api.total));
    expect(await page.locator('notice-search [role=status]').textContent()).toContain(`${api.total} 条结果`);
    expect(await axeViolations(page, 'notice-search')).toEqual([]);
    await page.close();
  });

  it('group="notice": one result per notice with its number of matching passages', async () => {
    const page = await suite.browser.newPage();
    await page.goto(foreign.url + '/notices.html');
    await typeInWidget(page, '医共体');
    const api = await apiSearch(suite.stack, { q: '医共体', group: 'notice', limit: '8' });
    const options = page.locator('notice-search a[role=option]:not(.all)');
    expect(await options.count()).toBe(api.hits.length);
    const meta = await options.locator('i').allTextContents();
    meta.forEach((m, i) => expect(m).toContain(`${api.hits[i]!.matches} 段匹配`));
    expect(await page.locator('notice-search .all').textContent()).toContain(`${api.total} 份通报`);
    expect(new URL((await page.locator('notice-search .all').getAttribute('href'))!).searchParams.get('group')).toBe('notice');
    expect(await axeViolations(page, 'notice-search')).toEqual([]);
    await page.close();
  });

  it('links to the full results on the search page, opening where target says', async () => {
    const page = await suite.browser.newPage();
    await page.goto(foreign.url + '/blank.html');
    await typeInWidget(page, '医共体');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator('notice-search .all').click()]);
    await popup.waitForSelector('#search-view:not([aria-busy]) #total');
    const u = new URL(popup.url());
    expect(u.origin).toBe(suite.server.url);
    expect(u.searchParams.get('province')).toBe('四川省');
    expect(Number(await popup.getAttribute('#total', 'data-total'))).toBe((await apiSearch(suite.stack, { q: '医共体', province: '四川省' })).total);
    expect(new URL(page.url()).origin).toBe(foreign.url); // the host page stays
    await popup.close();
    await page.close();
  });

  it('shows markup in a result as text and runs no script from it', async () => {
    const page = await suite.browser.newPage();
    const seen = watchForScripts(page);
    await page.goto(foreign.url + '/');
    await typeInWidget(page, XSS_WORD);
    const option = page.locator('notice-search a[role=option]:not(.all)');
    expect(await option.count()).toBe(1);
    const text = (await option.locator('span').textContent())!;
    expect(text).toContain('<script>alert(1)</script>');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(await option.locator('mark').textContent()).toBe(XSS_WORD);
    const inShadow = await page.evaluate(() => document.querySelector('notice-search')!.shadowRoot!.querySelectorAll('img, script').length);
    expect(inShadow).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await page.close();
  });
});
