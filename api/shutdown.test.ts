import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackRequests } from './shutdown.ts';

/** A server whose `/slow?ms=N` answers after N ms. */
function slowServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => res.end('done'), ms);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

function get(port: number, path: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('trackRequests', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const s of servers.splice(0)) s.closeAllConnections();
  });

  it('lets a request in flight finish, answered with Connection: close, and refuses new connections', async () => {
    const { server, port } = await slowServer();
    servers.push(server);
    const drain = trackRequests(server);
    const inFlight = get(port, '/slow?ms=300');
    await new Promise((r) => setTimeout(r, 50));
    expect(drain.inFlight()).toBe(1);

    const closed = drain.close({ graceMs: 5_000 });
    await expect(get(port, '/slow?ms=0')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: 'done' });
    expect((await closed).cut).toBe(0);
  });

  it('cuts what is still running at the end of the grace period, and says how many', async () => {
    const { server, port } = await slowServer();
    servers.push(server);
    const drain = trackRequests(server);
    const stuck = get(port, '/slow?ms=60000');
    await new Promise((r) => setTimeout(r, 50));
    const result = await drain.close({ graceMs: 200 });
    expect(result.cut).toBe(1);
    await expect(stuck).rejects.toThrow();
  });

  it('cuts at once on cutNow (a second signal)', async () => {
    const { server, port } = await slowServer();
    servers.push(server);
    const drain = trackRequests(server);
    const stuck = get(port, '/slow?ms=60000');
    await new Promise((r) => setTimeout(r, 50));
    const closed = drain.close({ graceMs: 60_000 });
    drain.cutNow();
    expect((await closed).cut).toBe(1);
    await expect(stuck).rejects.toThrow();
  });
});
