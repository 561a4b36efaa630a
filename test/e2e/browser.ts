/**
 * Helpers for the browser tests: a real listening server for the app (and for a foreign page),
 * and Debian's headless Chromium driven by playwright-core with a fresh profile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadAssets } from '../../api/assets.ts';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SearchResponse } from '../../src/search.ts';
import { MODEL_DIR, startStack, WITH_EMBEDDINGS, type Stack } from '../helpers/stack.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the embedding model is on disk (then similar measures and hybrid search work in tests). */
export const HAVE_MODEL = existsSync(path.join(MODEL_DIR, 'BAAI/bge-small-zh-v1.5/onnx/model_quantized.onnx'));

export const ADMIN_KEY = 'e2e-admin-key';

export interface Served {
  /** Origin with no trailing slash, e.g. http://127.0.0.1:40123 */
  url: string;
  close(): Promise<void>;
}

/** The whole product (engine, API, page and widget) on a real port. */
export async function startServedStack(): Promise<{ stack: Stack; server: Served }> {
  const stack = await startStack({
    adminKey: ADMIN_KEY,
    assets: loadAssets(),
    ...(HAVE_MODEL ? { env: { ...WITH_EMBEDDINGS } } : {}),
  });
  const server = await new Promise<Served>((resolve) => {
    const s = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => closeServer(s as Server) });
    });
  });
  return { stack, server };
}

/** What a browser test file shares: the served product and a browser, live between its hooks. */
export interface PageSuite {
  stack: Stack;
  server: Served;
  browser: Browser;
  /** Opens the search page on these query parameters and waits for its results. */
  openSearch(page: Page, params: Record<string, string>): Promise<void>;
}

/**
 * Registers the file's beforeAll/afterAll: the served stack, then `setup` (e.g. extra uploads or a
 * second origin), then a browser; everything is closed in reverse order, also after a failed start.
 */
export function usePageSuite(setup?: (suite: PageSuite) => Promise<(() => Promise<void>) | void>): PageSuite {
  const suite = {
    async openSearch(page: Page, params: Record<string, string>) {
      await page.goto(`${suite.server.url}/?${new URLSearchParams(params)}`);
      await page.waitForSelector('#search-view:not([aria-busy]) #total');
    },
  } as PageSuite; // the other fields are filled in by beforeAll before any test reads them
  let teardown: (() => Promise<void>) | void;
  beforeAll(async () => {
    Object.assign(suite, await startServedStack());
    teardown = await setup?.(suite);
    suite.browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await suite.browser?.close();
    await teardown?.();
    await suite.server?.close();
    await suite.stack?.close();
  });
  return suite;
}

/** The total the page shows once the results for the current URL are in. */
export async function shownTotal(page: Page): Promise<number> {
  await page.waitForSelector('#search-view:not([aria-busy]) #total');
  return Number(await page.getAttribute('#total', 'data-total'));
}

/** A second origin: serves `pages` (path → HTML) and 404 for anything else. */
/** What the API says, for comparing with what a page shows. */
export async function apiSearch(stack: Stack, params: Record<string, string>): Promise<SearchResponse> {
  const res = await stack.call<SearchResponse>(`/api/search?${new URLSearchParams(params)}`);
  expect(res.status).toBe(200);
  return res.body;
}

export async function serveHtml(pages: Record<string, string>): Promise<Served> {
  const server = createServer((req, res) => {
    const body = pages[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile. CSP is bypassed so that the XSS tests check the page's
 * own escaping, not the Content-Security-Policy that backs it up.
 */
export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(path.join(tmpdir(), 'notice-search-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    acceptDownloads: true,
    bypassCSP: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'zh-CN',
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fails the page's test when it opens a dialog (alert/confirm/prompt) or throws uncaught. */
export function watchForScripts(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return seen;
}

/** A tiny RFC 4180 parser (quoted fields, doubled quotes, CRLF) for reading the export back. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A notice whose text carries script and markup, uploaded through the admin route. */
export const XSS_WORD = '蜂鸟计划';
export const XSS_CONTENT = `四川省测试县卫生健康局关于巡察反馈问题整改进展情况的通报<script>alert(1)</script>
一、巡察反馈问题整改落实情况
(一)关于${XSS_WORD}<img src=x onerror=alert(1)>
1.推进${XSS_WORD}建设<img src=x onerror=alert(1)><script>alert(1)</script>,整改<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>完成。
2.其他措施。
中共测试县卫生健康局党组
2025年1月15日
`;

export async function uploadXss(stack: Stack): Promise<void> {
  const res = await stack.call('/api/admin/documents', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'xss.txt', content: XSS_CONTENT }),
  });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core's violations (all its default rules: WCAG 2 A and AA, and best practices) on the page
 * as it is now, or within the elements `include` selects (shadow roots included), one line each.
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = (await page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(sel ? { include: [[sel]] } : document)).violations;
  }, include ?? null)) as AxeViolation[];
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** The notice a page URL opens (its own page: notices/<id>#<passage>), or null. */
export function noticeOf(url: URL | string): string | null {
  const m = /\/notices\/([^/]+)$/.exec(new URL(url).pathname);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** The passage a notice's URL points at (its fragment). */
export function passageOf(url: URL | string): string {
  return decodeURIComponent(new URL(url).hash.slice(1));
}
