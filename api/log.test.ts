import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../src/errors.ts';
import { audit, createLogger, requestLog } from './log.ts';

/** An app logging into an array, as `npm start`'s logs to stdout. */
function loggedApp() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const app = new Hono();
  app.use('*', requestLog(createLogger({ destination })));
  app.onError((err, c) => c.json({ error: err instanceof CodedError ? err.code : 'INTERNAL' }, err instanceof CodedError ? err.status : 500));
  app.get('/items/:id', (c) => {
    if (c.req.param('id') === 'gone') throw new CodedError('NOT_FOUND', 'no item');
    return c.json({ id: c.req.param('id') });
  });
  app.post('/admin/wipe', (c) => {
    audit(c, 'wipe', { items: 3 });
    return c.json({ wiped: 3 });
  });
  return { app, lines };
}

describe('requestLog', () => {
  it('logs one access line per request under the request id it sends back', async () => {
    const { app, lines } = loggedApp();
    const res = await app.request('/items/42?secret=q', { headers: { 'X-Request-Id': 'proxy-id-1' } });
    expect(res.headers.get('x-request-id')).toBe('proxy-id-1');
    expect(lines).toEqual([expect.objectContaining({ msg: 'request', reqId: 'proxy-id-1', method: 'GET', route: '/items/:id', path: '/items/42', status: 200, level: 30 })]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('names the error code a route raised', async () => {
    const { app, lines } = loggedApp();
    expect((await app.request('/items/gone')).status).toBe(404);
    expect(lines[0]).toMatchObject({ route: '/items/:id', status: 404, error: 'NOT_FOUND' });
  });

  it('makes an id when none or a malformed one comes', async () => {
    const { app, lines } = loggedApp();
    const res = await app.request('/items/1', { headers: { 'X-Request-Id': '<script>' } });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines[0]?.reqId).toBe(id);
  });

  it('writes audit lines under the request id, before the access line', async () => {
    const { app, lines } = loggedApp();
    await app.request('/admin/wipe', { method: 'POST', headers: { 'X-Request-Id': 'op-9' } });
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'admin wipe', audit: 'wipe', items: 3, reqId: 'op-9' }),
      expect.objectContaining({ msg: 'request', route: '/admin/wipe', status: 200, reqId: 'op-9' }),
    ]);
  });
});
