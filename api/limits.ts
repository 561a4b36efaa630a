/**
 * Abuse limits on the public API routes (docs/security.md):
 *
 * - per-client rate limits (hono-rate-limiter, in memory, one minute windows): RATE_LIMIT for the
 *   cheap routes, MODEL_RATE_LIMIT for the model routes, answered 429 `RATE_LIMITED` with
 *   `Retry-After`;
 * - a cap on model requests running at once with a short queue (MODEL_CONCURRENCY, MODEL_QUEUE,
 *   MODEL_QUEUE_MS), answered 503 `MODEL_BUSY` with `Retry-After` when the queue is full or the
 *   wait too long, as Elasticsearch's search thread pool rejects: one client's embedding load
 *   cannot make every keyword search wait behind it;
 * - a client that asks again within a second of a refusal gets its next refusal a second later
 *   (`createImpatience`).
 *
 * The model routes embed text or search vectors: `POST /api/similar`,
 * `GET /api/passages/:id/similar`, and `GET /api/search` with `mode` hybrid or semantic.
 * Mounted after CORS, so a browser can read a refusal.
 *
 * @example
 * const limits = createLimits({ rateLimit: 600, modelRateLimit: 60, modelConcurrency: 1, modelQueue: 2, modelQueueMs: 1000, clientOf: clientOf(1) });
 * app.use('/api/*', limits.budgets);
 * app.use('/api/*', responseCache, limits.cap);
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import PQueue from 'p-queue';
import type { LimitsConfig } from '../src/config.ts';
import { errorBody } from './errors.ts';

export interface LimitsOptions extends Pick<LimitsConfig, 'rateLimit' | 'modelRateLimit' | 'modelConcurrency' | 'modelQueue' | 'modelQueueMs'> {
  /** The key a client is counted under (api/client-address.ts). */
  clientOf: (c: Context) => string;
  /** Length of a rate-limit window, ms. */
  windowMs?: number;
}

const MODEL_PATH = /^\/api\/(?:similar|passages\/[^/]+\/similar)\/?$/;

/** Whether a request uses the model (embeds text or searches vectors). */
export function isModelRequest(c: Context): boolean {
  if (MODEL_PATH.test(c.req.path)) return true;
  if (c.req.path !== '/api/search' && c.req.path !== '/api/search/') return false;
  const mode = c.req.query('mode');
  return mode === 'hybrid' || mode === 'semantic';
}

const pass: MiddlewareHandler = (_c, next) => next();

/** How long a client that asks again within this of its last refusal waits for the next one. */
export const IMPATIENT_HOLD_MS = 1000;

/**
 * Clients that come back within a second of a refusal, Retry-After unheeded: their next refusal
 * is answered only after a second. A client that honours Retry-After never waits; one that loops
 * on refusals (c = 32 in `npm run bench -- --abuse`: hundreds of refusals a second, which cost a
 * core that keyword searches need) gets one refusal per connection per second.
 */
function createImpatience(clientOf: (c: Context) => string): (c: Context) => Promise<void> {
  const refusedAt = new Map<string, number>();
  let swept = Date.now();
  return async (c) => {
    const now = Date.now();
    if (now - swept > 10 * IMPATIENT_HOLD_MS) {
      for (const [key, t] of refusedAt) if (now - t > IMPATIENT_HOLD_MS) refusedAt.delete(key);
      swept = now;
    }
    const key = clientOf(c);
    const last = refusedAt.get(key);
    refusedAt.set(key, now);
    if (last !== undefined && now - last < IMPATIENT_HOLD_MS) await sleep(IMPATIENT_HOLD_MS);
  };
}

type Hold = (c: Context) => Promise<void>;

function budget(limit: number, windowMs: number, clientOf: (c: Context) => string, hold: Hold, what: string): MiddlewareHandler {
  if (limit === 0) return pass;
  return rateLimiter({
    windowMs,
    limit,
    keyGenerator: clientOf,
    standardHeaders: 'draft-6',
    handler: async (c) => {
      await hold(c);
      return c.json(errorBody('RATE_LIMITED', `more than ${limit} ${what} requests a minute from this client; try again after Retry-After seconds`), 429);
    },
  });
}

/**
 * The model cap: a p-queue of `concurrency` slots. A request that finds `queue` requests already
 * waiting, or waits `waitMs` for a slot, is refused; p-queue has no bound on waiting, so the
 * timer is ours (a request refused while waiting leaves a no-op in the queue, freed at once).
 */
function modelCap(concurrency: number, queue: number, waitMs: number, hold: Hold): MiddlewareHandler {
  if (concurrency === 0) return pass;
  const slots = new PQueue({ concurrency });
  const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
  // Set on the context, not returned: the rate limiter around this drops what its `next` returns.
  // A request that already waited `waitMs` in the queue is not held again.
  const busy = async (c: Context, why: string, waited = false) => {
    if (!waited) await hold(c);
    c.header('Retry-After', retryAfter);
    c.res = c.json(errorBody('MODEL_BUSY', `the model routes are busy (${why}); try again after Retry-After seconds, or use keyword search`), 503);
  };
  return async (c, next) => {
    if (slots.pending >= concurrency && slots.size >= queue) return busy(c, `${queue} requests already waiting`);
    let started = false;
    let gaveUp = false;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        if (started) return;
        gaveUp = true;
        resolve(false);
      }, waitMs);
    });
    const ran = slots.add(async () => {
      if (gaveUp) return false;
      started = true;
      clearTimeout(timer);
      await next();
      return true;
    });
    if (!(await Promise.race([ran, waited]))) await busy(c, `no slot within ${waitMs} ms`, true);
  };
}

export interface Limits {
  /** The per-client budgets: mounted first, so every request counts, answered from the cache or not. */
  budgets: MiddlewareHandler;
  /**
   * The model cap: mounted after the response cache, so an answer the cache holds is never
   * refused or queued behind embeddings (a popular similar-measure query stays instant under a flood).
   */
  cap: MiddlewareHandler;
}

export function createLimits(options: LimitsOptions): Limits {
  const windowMs = options.windowMs ?? 60_000;
  const hold = createImpatience(options.clientOf);
  const cheap = budget(options.rateLimit, windowMs, options.clientOf, hold, 'API');
  const model = budget(options.modelRateLimit, windowMs, options.clientOf, hold, 'model-route');
  const cap = modelCap(options.modelConcurrency, options.modelQueue, options.modelQueueMs, hold);

  return {
    async budgets(c, next) {
      // A CORS preflight costs nothing and a refused one would hide the real answer from the page.
      if (c.req.method === 'OPTIONS') return next();
      // The budget before the cap: a client over its budget does not take a place in the queue.
      return isModelRequest(c) ? model(c, next) : cheap(c, next);
    },
    async cap(c, next) {
      if (c.req.method === 'OPTIONS' || !isModelRequest(c)) return next();
      return cap(c, next);
    },
  };
}
