/**
 * A whole running product for tests, the eval and the bench: our own Meilisearch in a temporary
 * DATA_DIR, the real dictionary and segmenter, and the HTTP app (served in-process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import { readConfig } from '../../src/config.ts';
import { openRuntime, type Runtime } from '../../runtime/runtime.ts';
import { createApp, type AppOptions } from '../../api/app.ts';
import type { Logger } from '../../api/log.ts';
import { createServices, type RunningServices } from '../../api/services.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORPUS = path.join(ROOT, 'data/corpus');
/**
 * The project's model directory (where `npm start` and `npm run model` put the model), shared by
 * every stack so that the temporary DATA_DIRs do not each fetch a copy.
 */
export const MODEL_DIR = process.env.MODEL_DIR || path.join(ROOT, 'var/models');
/** Env for a stack with the real embedding model (vectors, similar measures, hybrid search). */
export const WITH_EMBEDDINGS = { EMBEDDINGS: 'on', MODEL_DIR } as const;

export interface Stack {
  dataDir: string;
  runtime: Runtime;
  services: RunningServices;
  app: Hono;
  /** GET (or other) against the app, parsed JSON and status. */
  call<T = any>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  corpus?: string[];
  /** Index the corpus before returning (default true). */
  index?: boolean;
  adminKey?: string;
  /** Where the runtime's log lines go (silent by default). */
  log?: (line: string) => void;
  /** The API's JSON log (api/log.ts); silent by default. */
  logger?: Logger;
  /** Static assets to serve (the search page and widget: `loadAssets()` from api/assets.ts); none by default. */
  assets?: AppOptions['assets'];
  /** Use this DATA_DIR (e.g. one a restore filled) instead of a new temporary one; removed at close all the same. */
  dataDir?: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'notice-search-'));
  // No rate limits unless a test asks: every in-process request counts as one client.
  // ADMIN_WAIT_MS at its maximum: on a busy machine a rebuild can outlast the default 20 s, and
  // the tests read its summary from the answer (test/backup.test.ts asks for 202 itself).
  const config = readConfig({ DATA_DIR: dataDir, EMBEDDINGS: 'off', ADMIN_WAIT_MS: '600000', RATE_LIMIT: '0', MODEL_RATE_LIMIT: '0', ...options.env });
  const runtime = await openRuntime(config, options.log ?? (() => {}));
  const services = createServices(runtime, { corpus: options.corpus ?? [CORPUS], version: 'test' });
  const app = createApp(services, {
    adminKey: options.adminKey ?? config.adminKey,
    corsOrigins: config.corsOrigins,
    adminWaitMs: config.adminWaitMs,
    cache: { bytes: config.cacheBytes, maxAgeSeconds: config.cacheMaxAge },
    limits: config.limits,
    ...(options.assets ? { assets: options.assets } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  if (options.index !== false) await services.start();
  return {
    dataDir,
    runtime,
    services,
    app,
    async call(url, init) {
      const res = await app.request(url, init);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: res.status, body: body as never, headers: res.headers };
    },
    async close() {
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
