/**
 * The API's one log: JSON lines from pino on stdout (docs/operations.md "Logs"). Every request
 * gets an id (an incoming `X-Request-Id` of sane shape, else a new UUID), sent back in
 * `X-Request-Id` and carried by every line logged while answering it; when it is answered, one
 * access line gives method, route, path, status, duration and the error code, if any. Admin actions add an audit line
 * saying what they changed (`audit`).
 *
 * @example
 * const log = createLogger({ level: 'info' });
 * app.use('*', requestLog(log));
 * app.post('/x', (c) => { audit(c, 'reindex', { notices: 3 }); return c.json({}); });
 */
import type { Context, MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import { matchedRoutes } from 'hono/route';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../src/config.ts';
import { CodedError } from '../src/errors.ts';

export type { Logger };

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's logger: every line carries its `reqId`. */
    log: Logger;
  }
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stdout by default (tests pass a stream to read them). */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  // Written synchronously (pino's own default): an asynchronous destination hands every line to
  // libuv's thread pool, which cost each request four futex calls, an eventfd write and read and a
  // thread wake-up on two cores shared with the engine (strace -c on the bench's keyword load: 4.9
  // futex calls a request, 0.9 with this), and it can lose the last lines on a crash.
  return pino(
    { level: options.level ?? 'info', base: { service: 'notice-search', pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing: the default of an app built without one (unit tests). */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * The route pattern that answered (`/api/notices/:id`), or null when none did (a 404): a pattern,
 * unlike the path, groups the lines of one route. Middleware (`*` patterns) does not count.
 */
function routeOf(c: Context): string | null {
  const routes = matchedRoutes(c).filter((r) => r.method !== 'ALL' && !r.path.includes('*'));
  return routes.at(-1)?.path ?? null;
}

/** The code of the error the request was answered with (errors.ts), when a route raised one. */
function errorCodeOf(c: Context): { error?: string } {
  if (c.error === undefined) return {};
  return { error: c.error instanceof CodedError ? c.error.code : 'INTERNAL' };
}

/** Up to 128 characters of letters, digits, `_`, `-` and `=` (hono's check); anything else is replaced. */
const REQUEST_ID_MAX = 128;

export function requestLog(log: Logger): MiddlewareHandler {
  const ids = requestId({ limitLength: REQUEST_ID_MAX });
  return (c, next) =>
    ids(c, async () => {
      const started = performance.now();
      const reqLog = log.child({ reqId: c.get('requestId') });
      c.set('log', reqLog);
      await next();
      const status = c.res.status;
      const line = { method: c.req.method, route: routeOf(c), path: c.req.path, status, ms: Math.round((performance.now() - started) * 10) / 10, ...errorCodeOf(c) };
      // 500 is ours to fix; other 5xx (503 engine away, not ready yet) are conditions an operator watches.
      if (status === 500) reqLog.error(line, 'request');
      else if (status > 500) reqLog.warn(line, 'request');
      else reqLog.info(line, 'request');
    });
}

/** The logger of `c`'s request, or the silent one outside `requestLog`. */
export function logOf(c: Context): Logger {
  return c.get('log') ?? silentLogger;
}

/** One audit line for an admin action: what was asked and what it changed. */
export function audit(c: Context, action: string, fields: Record<string, unknown>): void {
  logOf(c).info({ audit: action, ...fields }, `admin ${action}`);
}
