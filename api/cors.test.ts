import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createCors } from './cors.ts';

function appWith(origins?: string[]): Hono {
  const app = new Hono();
  app.use('/api/*', createCors({ origins }));
  app.get('/api/x', (c) => c.json({ ok: true }));
  app.get('/api/fails', () => {
    throw new Error('boom');
  });
  app.onError((_e, c) => c.json({ error: 'x' }, 500));
  return app;
}

const preflight = (origin: string) => ({ method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'content-type' } });

describe('createCors', () => {
  it('allows any origin by default, on answers and on errors', async () => {
    const app = appWith();
    const res = await app.request('/api/x', { headers: { Origin: 'https://a.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toEqual({ ok: true });
    const err = await app.request('/api/fails', { headers: { Origin: 'https://a.example' } });
    expect(err.status).toBe(500);
    expect(err.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a preflight with the methods, the asked headers and a max age', async () => {
    const res = await appWith().request('/api/x', preflight('https://a.example'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('with a list, echoes a listed origin and refuses the others', async () => {
    const app = appWith(['https://ok.example']);
    const ok = await app.request('/api/x', { headers: { Origin: 'https://ok.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ok.example');
    expect(ok.headers.get('vary')).toBe('Origin');
    const other = await app.request('/api/x', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await app.request('/api/x', preflight('https://evil.example'));
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
  });
});
