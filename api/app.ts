/**
 * The HTTP API (README "HTTP API"): the public routes (public.ts) and the admin routes
 * (admin.ts) as two sub-apps, the static search page and widget, and one error answer for all
 * (errors.ts). Routes only validate, call a service (services.ts) and shape JSON.
 */
import { Hono } from 'hono';
import type { LimitsConfig } from '../src/config.ts';
import { createAdminApp, type AdminOptions } from './admin.ts';
import { clientOf } from './client-address.ts';
import { errorBody, toResponse } from './errors.ts';
import { requestLog, silentLogger, type Logger } from './log.ts';
import { compression, securityHeaders } from './headers.ts';
import { methodNotAllowed } from './methods.ts';
import { createPublicApp, type PublicOptions } from './public.ts';
import type { Services } from './services.ts';

export interface AppOptions extends AdminOptions, PublicOptions {
  /** Static assets (the search page and widget), path → [content type, body]. */
  assets?: Map<string, { type: string; body: string | Uint8Array }>;
  /** The JSON log (log.ts): access lines, audit lines, errors. Silent by default. */
  logger?: Logger;
  /** Abuse limits and framing (config `limits`, docs/security.md); none when absent. */
  limits?: LimitsConfig | undefined;
}

export function createApp(services: Services, options: AppOptions = {}): Hono {
  const app = new Hono();
  app.use('*', requestLog(options.logger ?? silentLogger));
  app.onError((err, c) => toResponse(c, err));
  app.notFound((c) => methodNotAllowed(c, app.routes) ?? c.json(errorBody('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`), 404));
  app.use('*', securityHeaders({ frameAncestors: options.limits?.frameAncestors }), compression());
  const client = clientOf(options.limits?.trustProxy ?? 0);

  // Admin first: it answers every /api/admin/ request itself, so the public routes' middleware
  // (CORS, the readiness gate) never runs for it.
  app.route('/api/admin', createAdminApp(services, { ...options, clientOf: client }));
  app.route('/', createPublicApp(services, { ...options, clientOf: client }));

  for (const [path, asset] of options.assets ?? []) {
    app.get(path, (c) => {
      c.header('content-type', asset.type);
      c.header('cache-control', 'no-cache');
      return c.body(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body));
    });
  }
  return app;
}
