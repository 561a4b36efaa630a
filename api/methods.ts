/**
 * 405 for a known path asked with a method it does not take (RFC 9110 §15.5.6: with an Allow
 * header listing the ones it does). Hono answers such a request as not found; the routes it has
 * registered (`app.routes`) say which methods a path takes.
 */
import type { Context } from 'hono';
import { errorBody } from './errors.ts';

export interface RouteEntry {
  method: string;
  path: string;
}

/** `/api/passages/:id` → a RegExp matching one path segment per parameter; `*` matches the rest. */
function pathPattern(route: string): RegExp {
  const source = route
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The methods routes take at `path`, HEAD wherever GET; empty for an unknown path. Middleware (ALL) does not count. */
export function allowedMethods(routes: readonly RouteEntry[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    if (r.method === 'ALL' || r.path.includes('*')) continue;
    if (pathPattern(r.path).test(path)) methods.add(r.method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** The 405 answer for `c`'s request when its path is known under other methods; undefined when it is not. */
export function methodNotAllowed(c: Context, routes: readonly RouteEntry[]): Response | undefined {
  const allowed = allowedMethods(routes, c.req.path);
  if (allowed.length === 0 || allowed.includes(c.req.method)) return undefined;
  c.header('Allow', allowed.join(', '));
  return c.json(errorBody('METHOD_NOT_ALLOWED', `${c.req.method} ${c.req.path}: allowed ${allowed.join(', ')}`), 405);
}
