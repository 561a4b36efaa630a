/**
 * Regenerates the README's screenshots: docs/search-page.png (the search page for 医共体),
 * docs/search-notices.png (医共体 -紧密型 by notice, the syntax help open), docs/widget-pinyin.png
 * (the search box on a foreign page, ygt typed: the suggestion 医共体) and docs/widget.png (the
 * suggestion taken: its results).
 *
 *   npx tsx test/e2e/screenshots.ts
 *
 * Chinese text needs a CJK font on the machine (Debian: fonts-wqy-microhei or fonts-noto-cjk).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/stack.ts';
import { openBrowser, serveHtml, startServedStack } from './browser.ts';

const DOCS = path.join(ROOT, 'docs');

const hostPage = (apiOrigin: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>某市卫生健康委员会</title>
<style>
body { font-family: serif; margin: 0; background: #eef3f8; }
header { background: #1b4f8a; color: #fff; padding: 14px 24px; font-size: 22px; }
main { max-width: 860px; margin: 20px auto; background: #fff; padding: 18px 28px; min-height: 560px; }
input { border: 5px dotted green; } a { color: orange; }
</style></head><body>
<header>某市卫生健康委员会 · 政务公开</header>
<main><h2>巡察整改通报检索</h2><p>检索四川省各地卫生健康系统的巡察整改情况:</p>
<notice-search province="四川省" placeholder="输入检索词,如 医共体" limit="4"></notice-search>
<script src="${apiOrigin}/widget.js" async></script>
</main></body></html>`;

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  const { stack, server } = await startServedStack();
  const foreign = await serveHtml({ '/': hostPage(server.url) });
  const browser = await openBrowser({ viewport: { width: 1280, height: 980 } });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?q=${encodeURIComponent('医共体')}`);
    await page.waitForSelector('#search-view:not([aria-busy]) #results .hit');
    await page.screenshot({ path: path.join(DOCS, 'search-page.png') });

    await page.goto(`${server.url}/?q=${encodeURIComponent('医共体 -紧密型')}&group=notice`);
    await page.waitForSelector('#search-view:not([aria-busy]) #results .notice-hit');
    await page.click('#help-toggle');
    await page.screenshot({ path: path.join(DOCS, 'search-notices.png') });

    const host = await browser.newPage();
    await host.setViewportSize({ width: 960, height: 760 });
    await host.goto(foreign.url + '/');
    const input = host.locator('notice-search input');
    await input.click();
    await input.pressSequentially('ygt');
    await host.waitForSelector('notice-search [role=listbox]:not([hidden]) .sg');
    await input.press('ArrowDown');
    await host.screenshot({ path: path.join(DOCS, 'widget-pinyin.png'), clip: { x: 0, y: 0, width: 960, height: 420 } });
    await input.press('Enter');
    await host.waitForFunction(() => document.querySelector('notice-search')!.shadowRoot!.querySelector('.all')?.getAttribute('href')?.includes(encodeURIComponent('医共体')));
    await input.press('ArrowDown');
    await host.screenshot({ path: path.join(DOCS, 'widget.png') });
    console.log(`wrote search-page.png, search-notices.png, widget-pinyin.png and widget.png in ${DOCS}`);
  } finally {
    await browser.close();
    await foreign.close();
    await server.close();
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
