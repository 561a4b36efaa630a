/**
 * CORS for the public routes: any origin by default, or only the listed ones (CORS_ORIGINS).
 *
 * Not hono/cors: it writes its headers through `c.res.headers`, which makes hono build a
 * placeholder Response before the route runs and then copy it into the route's Response; on
 * @hono/node-server that turns every search answer into a full WHATWG Response with a body stream
 * (about a third of a millisecond per request, `npm run bench` section "API vs raw"). Headers set
 * with `c.header()` before the route are carried by the route's own Response instead.
 *
 * @example
 * app.use('/api/*', createCors({ origins: ['https://wsjkw.example.gov.cn'] }));
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsOptions {
  /** Allowed origins; undefined allows any origin (`*`). */
  origins?: readonly string[] | undefined;
  methods?: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  maxAge?: number;
}

const defaults = { methods: ['GET', 'POST', 'OPTIONS'], maxAge: 600 };

export function createCors(options: CorsOptions = {}): MiddlewareHandler {
  const opts = { ...defaults, ...options };
  const allowed = opts.origins ? new Set(opts.origins) : undefined;
  const methods = opts.methods.join(',');
  const maxAge = String(opts.maxAge);

  return async function cors(c, next) {
    const origin = c.req.header('origin');
    const allow = allowed === undefined ? '*' : origin !== undefined && allowed.has(origin) ? origin : undefined;
    if (allowed !== undefined) c.header('Vary', 'Origin');
    if (allow) c.header('Access-Control-Allow-Origin', allow);
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (allow) {
        c.header('Access-Control-Allow-Methods', methods);
        c.header('Access-Control-Max-Age', maxAge);
        const asked = c.req.header('access-control-request-headers');
        if (asked) c.header('Access-Control-Allow-Headers', asked);
      }
      return c.body(null, 204);
    }
    await next();
  };
}
