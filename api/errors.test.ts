import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerParseErrors, ApiError, toResponse } from './errors.ts';
import { EngineError } from '../src/engine/client.ts';
import { NetworkError } from '../src/engine/network.ts';
import { QueryError } from '../src/query.ts';

let server: ReturnType<typeof serve>;
let port: number;
beforeAll(async () => {
  const app = new Hono().get('/api/search', (c) => c.json({ q: c.req.query('q') }));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  answerParseErrors(server);
  await new Promise((r) => server.once('listening', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** Sends raw bytes and reads the whole answer (the server closes the connection). */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.from(request, 'utf8')));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('requests the HTTP parser refuses', () => {
  it('answers raw Chinese in a URL with a JSON error that says to percent-encode', async () => {
    const answer = await raw('GET /api/search?q=医共体 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INVALID_URL');
    expect(body.error.message).toContain('percent-encoded');
  });
  it('answers a malformed request line in the same shape', async () => {
    const answer = await raw('NOT A REQUEST\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toMatch(/^(BAD_REQUEST|INVALID_URL)$/);
  });
  it('still serves the same query percent-encoded', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent('医共体')}`);
    expect(await res.json()).toEqual({ q: '医共体' });
  });
});

describe('coded errors are answered from the catalogue', () => {
  const app = new Hono();
  app.onError((err, c) => toResponse(c, err));
  app.get('/not-found', () => {
    throw new ApiError('NOT_FOUND', 'no passage x');
  });
  app.get('/query', () => {
    throw new QueryError('QUERY_TOO_LONG', 'q: at most 200 characters');
  });
  app.get('/nodes', () => {
    throw new NetworkError(['b'], 'search engine node b did not answer');
  });
  app.get('/rejected', () => {
    throw new EngineError('ENGINE_REJECTED', 'search engine answered 400: invalid filter (an engine detail the caller must not see)', 400);
  });
  app.get('/uncoded', () => {
    throw new Error('boom');
  });
  const answer = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: (await res.json()) as { error: Record<string, unknown> } };
  };

  it('with the status of their code and their own message', async () => {
    expect(await answer('/not-found')).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'no passage x' } } });
    expect(await answer('/query')).toEqual({ status: 400, body: { error: { code: 'QUERY_TOO_LONG', message: 'q: at most 200 characters' } } });
  });

  it('with their details (the nodes that did not answer)', async () => {
    expect(await answer('/nodes')).toEqual({ status: 503, body: { error: { code: 'ENGINE_NODES_UNAVAILABLE', message: 'search engine node b did not answer', nodes: ['b'] } } });
  });

  it('without engine internals, and anything uncoded as INTERNAL', async () => {
    const quiet = console.error;
    console.error = () => undefined;
    try {
      expect(await answer('/rejected')).toEqual({ status: 500, body: { error: { code: 'ENGINE_REJECTED', message: 'the search engine rejected the request' } } });
      expect(await answer('/uncoded')).toEqual({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } });
    } finally {
      console.error = quiet;
    }
  });
});
