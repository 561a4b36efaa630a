/**
 * Graceful shutdown of the HTTP server (docs/operations.md "Shutdown"): stop accepting new
 * connections, let the requests already received finish, then close what is left; bounded by a
 * grace period after which the remaining requests are cut.
 *
 * Written over node:http's own calls rather than a package (http-terminator, stoppable) because
 * those close idle keep-alive connections at once, which is what made clients under load fail:
 * a client that has just been answered may already be sending its next request on that
 * connection when the server closes it, and sees a reset instead of an answer. Here a
 * connection is left open while the drain goes on; whatever it carries next is answered, with
 * `Connection: close` so that the client does not reuse it. Connections still idle once every
 * request is done are closed then.
 *
 * @example
 * const drain = trackRequests(server);
 * process.on('SIGTERM', async () => { await drain.close({ graceMs: 10_000 }); await runtime.close(); });
 */
import type { Server, ServerResponse } from 'node:http';
import net from 'node:net';

export interface DrainResult {
  /** Requests still running at the end of the grace period, cut. */
  cut: number;
  ms: number;
}

export interface Drain {
  /** Requests received and not yet answered. */
  inFlight(): number;
  /** Stops accepting, drains, closes every connection; resolves when none is left. */
  close(options: { graceMs: number }): Promise<DrainResult>;
  /** Ends the drain now: the requests still running are cut (a second signal). */
  cutNow(): void;
}

/** How long connections that carry no request are kept after the drain began, for a request already on its way. */
const IDLE_SETTLE_MS = 250;
const POLL_MS = 25;

export function trackRequests(server: Server): Drain {
  const running = new Set<ServerResponse>();
  let draining = false;
  let cut: (() => void) | undefined;
  // Set before the app writes its head: node:http merges it in and closes the connection after the answer.
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  server.on('request', (_req, res) => {
    running.add(res);
    if (draining) lastOnItsConnection(res);
    res.once('close', () => running.delete(res));
  });

  return {
    inFlight: () => running.size,
    cutNow: () => cut?.(),
    close({ graceMs }) {
      draining = true;
      running.forEach(lastOnItsConnection);
      const started = Date.now();
      return new Promise<DrainResult>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        let cutCount = 0;
        const finish = () => {
          clearInterval(timer);
          resolve({ cut: cutCount, ms: Date.now() - started });
        };
        // net.Server's close stops the listener only; http.Server's would also close idle
        // keep-alive connections at once (see the module comment). Its callback runs when the
        // last connection has ended.
        net.Server.prototype.close.call(server, finish);
        let wasCut = false;
        cut = () => {
          if (wasCut) return;
          wasCut = true;
          cutCount = running.size;
          server.closeAllConnections();
        };
        timer = setInterval(() => {
          const elapsed = Date.now() - started;
          if (elapsed >= graceMs) cut?.();
          else if (running.size === 0 && elapsed >= Math.min(IDLE_SETTLE_MS, graceMs)) server.closeIdleConnections();
        }, POLL_MS);
        if (graceMs === 0) cut();
      });
    },
  };
}
