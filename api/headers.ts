/**
 * Response headers every answer carries (docs/security.md): `X-Content-Type-Options: nosniff`,
 * and a Content-Security-Policy: for the search page the policy of its own <meta> tag plus
 * `frame-ancestors` (FRAME_ANCESTORS: which sites may frame it; a meta tag cannot say that), for
 * the API `default-src 'none'` (JSON and feeds run nothing). Also response compression.
 *
 * Not hono/secure-headers: it writes through `c.res.headers` after the route, which on
 * @hono/node-server turns each light response into a full WHATWG Response (see api/cors.ts), and
 * it adds headers that would break the embeddable widget (Cross-Origin-Resource-Policy). Headers
 * set with `c.header()` before the route are carried by the route's own Response.
 *
 * @example
 * app.use('*', securityHeaders({ frameAncestors: ["'self'", 'https://www.example.gov.cn'] }));
 * app.use('*', compression());
 */
import type { MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { parseAccept } from 'hono/utils/accept';

export interface SecurityHeadersOptions {
  /** frame-ancestors sources for the page, e.g. ["'self'"] (the default). */
  frameAncestors?: readonly string[];
}

/** The page's own policy (api/web/index.html's meta tag): only its own scripts, styles and API. */
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

const isApiPath = (path: string) => path.startsWith('/api/') || path === '/healthz' || path === '/openapi.json';

export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const ancestors = (options.frameAncestors ?? ["'self'"]).join(' ');
  const page = `${PAGE_POLICY}; frame-ancestors ${ancestors}`;
  const api = "default-src 'none'; frame-ancestors 'none'";
  return async function headers(c, next) {
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', isApiPath(c.req.path) ? api : page);
    await next();
  };
}

/** Whether Accept-Encoding names gzip, deflate or `*` with a weight above 0. */
function acceptsCompression(header: string | undefined): boolean {
  if (!header) return false;
  return parseAccept(header).some((a) => a.q > 0 && ['gzip', 'deflate', '*'].includes(a.type.toLowerCase()));
}

/**
 * hono/compress (gzip or deflate, bodies of 1 KiB and more), run only for clients that take a
 * compressed answer: hono's reads the response's headers whatever the client asked (to add
 * `Vary: Accept-Encoding`), which costs every other client the full Response above. An answer
 * left uncompressed needs no Vary: it suits every client, and every compressed one carries it.
 */
export function compression(): MiddlewareHandler {
  const gzip = compress();
  return async function compression(c, next) {
    if (!acceptsCompression(c.req.header('accept-encoding'))) return next();
    return gzip(c, next);
  };
}
