/**
 * The admin routes' gate (docs/security.md): off (404) without ADMIN_KEY, else
 * `Authorization: Bearer $ADMIN_KEY`, compared in constant time. A wrong key is logged with the
 * client's address, answered only after `failureDelayMs`, and a client with more than
 * `failuresPerMinute` wrong keys in a minute gets 429 with `Retry-After` for the rest of that
 * minute, even with the right key (hono-rate-limiter counting failures only), so guessing a key
 * goes at a few tries a minute per address instead of thousands a second.
 *
 * @example
 * app.use('*', adminAuth({ key: process.env.ADMIN_KEY, clientOf: clientOf(0) }));
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';
import { ApiError, errorBody } from './errors.ts';
import { logOf } from './log.ts';

export interface AdminAuthOptions {
  key: string | undefined;
  /** The key a client is counted under (api/client-address.ts). */
  clientOf: (c: Context) => string;
  failuresPerMinute?: number;
  failureDelayMs?: number;
  /** Where a failed attempt is reported: the request's JSON log line by default (log.ts). */
  log?: (c: Context, line: string) => void;
}

const defaults = {
  failuresPerMinute: 10,
  failureDelayMs: 1000,
  log: (c: Context, line: string) => logOf(c).warn({ audit: 'admin-auth-failed' }, line),
};

// Hashing both sides makes the comparison constant-time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s).digest();

export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const opts = { ...defaults, ...options };
  const expected = opts.key === undefined ? undefined : digest(`Bearer ${opts.key}`);
  const failures = rateLimiter({
    windowMs: 60_000,
    limit: opts.failuresPerMinute,
    keyGenerator: opts.clientOf,
    // Only wrong keys count; a right one, whatever the route answers, does not.
    skipSuccessfulRequests: true,
    requestWasSuccessful: (c) => c.res.status !== 401,
    standardHeaders: false,
    handler: (c) => {
      opts.log(c, `admin auth: ${opts.clientOf(c)} locked out after ${opts.failuresPerMinute} wrong keys this minute (${c.req.method} ${c.req.path})`);
      c.header('Retry-After', '60');
      return c.json(errorBody('RATE_LIMITED', 'too many wrong admin keys from this client; try again after Retry-After seconds'), 429);
    },
  });

  const check: MiddlewareHandler = async (c, next) => {
    if (expected === undefined) throw new ApiError('NOT_FOUND', 'admin routes are off (set ADMIN_KEY to enable them)');
    if (!timingSafeEqual(digest(c.req.header('authorization') ?? ''), expected)) {
      const given = c.req.header('authorization') === undefined ? 'no Authorization header' : 'a wrong key';
      opts.log(c, `admin auth: ${given} from ${opts.clientOf(c)} (${c.req.method} ${c.req.path})`);
      await sleep(opts.failureDelayMs);
      throw new ApiError('UNAUTHORIZED', 'Authorization: Bearer <ADMIN_KEY> required');
    }
    return next();
  };

  return async function adminGate(c, next) {
    if (expected === undefined) return check(c, next);
    return failures(c, async () => {
      await check(c, next);
    });
  };
}
