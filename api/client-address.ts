/**
 * Who a request comes from, as the per-client limits count it (api/limits.ts, api/admin-auth.ts):
 * the socket's address, or, behind TRUST_PROXY reverse proxies, the address the outermost of them
 * saw, read from X-Forwarded-For counted from the right (each proxy appends the address it was
 * called from, so entries a client writes itself stay on the left and are never believed).
 *
 * IPv6 clients are counted by their /64: one subscriber gets a whole /64 and could otherwise take
 * a fresh address per request.
 *
 * @example
 * clientAddress('10.0.0.2', '203.0.113.7, 10.0.0.9', 2); // '203.0.113.7' (two proxies in front)
 * clientAddress('10.0.0.2', '203.0.113.7', 0);           // '10.0.0.2' (X-Forwarded-For not believed)
 */
import type { Context } from 'hono';
import { distinctRemoteAddr, expandIPv6 } from 'hono/utils/ipaddr';

/** `[::1]:443` → `::1`, `203.0.113.7:5000` → `203.0.113.7`, `::ffff:203.0.113.7` → `203.0.113.7`. */
function bareAddress(raw: string): string {
  const s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) return bareAddress(bracketed[1]!);
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  if (v4port) return v4port[1]!;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  return mapped ? mapped[1]! : s;
}

/** The key one client is counted under: an IPv4 address, an IPv6 /64, or the text itself (capped) when it is neither. */
export function clientKey(address: string): string {
  const bare = bareAddress(address);
  if (distinctRemoteAddr(bare) === 'IPv6' && /^[0-9a-f:.]+$/i.test(bare)) {
    return `${expandIPv6(bare.toLowerCase()).split(':').slice(0, 4).join(':')}::/64`;
  }
  return bare.slice(0, 64);
}

/**
 * The client's key from the socket address and X-Forwarded-For, believing `trustProxy` proxies.
 * A request with no socket (served in-process, as the tests' `app.request`) is `unknown`.
 */
export function clientAddress(socket: string | undefined, forwardedFor: string | undefined, trustProxy: number): string {
  const chain = trustProxy > 0 && forwardedFor ? forwardedFor.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (socket) chain.push(socket);
  const picked = chain[Math.max(0, chain.length - 1 - trustProxy)];
  return picked === undefined ? 'unknown' : clientKey(picked);
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** The socket address @hono/node-server hands over in `c.env` (as its getConnInfo reads it), if any. */
function socketAddress(c: Context): string | undefined {
  const env = c.env as (NodeBindings & { server?: NodeBindings }) | undefined;
  return (env?.server ?? env)?.incoming?.socket?.remoteAddress;
}

/** A `(c) => client key` for the limits, believing `trustProxy` proxies. */
export function clientOf(trustProxy: number): (c: Context) => string {
  return (c) => clientAddress(socketAddress(c), trustProxy > 0 ? c.req.header('x-forwarded-for') : undefined, trustProxy);
}
