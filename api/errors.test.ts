import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerParseErrors } from './errors.ts';

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
