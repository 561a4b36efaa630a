import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createLimits, IMPATIENT_HOLD_MS } from './limits.ts';

/** An app whose model route holds its answer until released: the cap's states without timing guesses. */
function heldApp(options: Partial<Parameters<typeof createLimits>[0]> = {}) {
  const held: Array<() => void> = [];
  const app = new Hono();
  const limits = createLimits({ rateLimit: 0, modelRateLimit: 0, modelConcurrency: 1, modelQueue: 1, modelQueueMs: 60_000, clientOf: (c) => c.req.header('x-client') ?? 'one', ...options });
  app.use('/api/*', limits.budgets, limits.cap);
  app.post('/api/similar', async (c) => {
    await new Promise<void>((resolve) => held.push(resolve));
    return c.json({ ok: true });
  });
  app.get('/api/search', (c) => c.json({ mode: c.req.query('mode') ?? 'keyword' }));
  const similar = () => app.request('/api/similar', { method: 'POST' });
  const release = async () => {
    while (held.length === 0) await new Promise((r) => setImmediate(r));
    held.shift()!();
  };
  return { app, similar, release };
}

describe('model cap', () => {
  test('one runs, one waits, the next is refused at once with 503 and Retry-After; keyword is not held', async () => {
    const { app, similar, release } = heldApp();
    const running = similar();
    const waiting = similar();
    const refused = await similar();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('MODEL_BUSY');
    expect((await app.request('/api/search?q=x')).status).toBe(200);
    expect((await app.request('/api/search?q=x&mode=hybrid')).status).toBe(503);
    await release();
    expect((await running).status).toBe(200);
    await release();
    expect((await waiting).status).toBe(200);
  });

  test('a request that waits MODEL_QUEUE_MS for a slot is refused, and its place is freed', async () => {
    const { similar, release } = heldApp({ modelQueueMs: 50 });
    const running = similar();
    const waited = await similar();
    expect(waited.status).toBe(503);
    expect(((await waited.json()) as { error: { message: string } }).error.message).toMatch(/no slot within 50 ms/);
    await release();
    expect((await running).status).toBe(200);
    const next = similar();
    await release();
    expect((await next).status).toBe(200);
  });

  test('MODEL_CONCURRENCY=0 is no cap', async () => {
    const { similar, release } = heldApp({ modelConcurrency: 0 });
    const all = [similar(), similar(), similar()];
    for (let i = 0; i < all.length; i++) await release();
    expect((await Promise.all(all)).map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

describe('clients that do not wait for Retry-After', () => {
  test('a refusal within a second of the last one is answered a second later; another client is not held', async () => {
    const { similar, release } = heldApp({ modelQueue: 0 });
    const running = similar();
    expect((await similar()).status).toBe(503);
    const t0 = performance.now();
    expect((await similar()).status).toBe(503);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(IMPATIENT_HOLD_MS - 50);
    await release();
    await running;
  });
});

describe('rate limits', () => {
  const app = new Hono();
  const limits = createLimits({ rateLimit: 3, modelRateLimit: 1, modelConcurrency: 0, modelQueue: 0, modelQueueMs: 0, clientOf: (c) => c.req.header('x-client') ?? 'one' });
  app.use('/api/*', limits.budgets, limits.cap);
  app.get('/api/search', (c) => c.json({}));
  app.on(['GET', 'OPTIONS'], '/api/suggest', (c) => c.json({}));
  const get = (path: string, client = 'a', method = 'GET') => app.request(path, { method, headers: { 'x-client': client } });

  test('each client has its own budget per kind of route; over it: 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await get('/api/search?q=x')).status).toBe(200);
    const over = await get('/api/suggest?q=x');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    // The model budget is separate; and it is 1.
    expect((await get('/api/search?q=x&mode=semantic')).status).toBe(200);
    expect((await get('/api/search?q=x&mode=hybrid')).status).toBe(429);
    expect((await get('/api/search?q=x', 'b')).status).toBe(200);
    // Preflights are never counted nor refused.
    expect((await get('/api/suggest', 'a', 'OPTIONS')).status).toBe(200);
  });
});
