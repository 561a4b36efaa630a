/**
 * The admin routes, mounted at /api/admin: off unless ADMIN_KEY is set (every path answers 404),
 * then only with `Authorization: Bearer $ADMIN_KEY`; never open to other origins (no CORS
 * headers). Each validates, calls one service (services.ts) and shapes the JSON.
 *
 * | route | service |
 * |---|---|
 * | `POST /api/admin/documents` | `upload` (an index run over the files) |
 * | `DELETE /api/admin/notices/:id` | `deleteNotice` |
 * | `POST /api/admin/reindex` | `reindex` (a rebuild swapped in) |
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from './errors.ts';
import { idSchema, parseParams } from './params.ts';
import type { Services } from './services.ts';

export interface AdminOptions {
  adminKey?: string | undefined;
  /** Largest admin upload, bytes. */
  maxUploadBytes?: number;
}

export function createAdminApp(services: Services, options: AdminOptions = {}): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (!options.adminKey) throw new ApiError('NOT_FOUND', 'admin routes are off (set ADMIN_KEY to enable them)');
    const auth = c.req.header('authorization') ?? '';
    if (!timingSafeEqual(auth, `Bearer ${options.adminKey}`)) throw new ApiError('UNAUTHORIZED', 'Authorization: Bearer <ADMIN_KEY> required');
    return next();
  });

  const maxUpload = options.maxUploadBytes ?? 20 * 1024 * 1024;
  app.post(
    '/documents',
    bodyLimit({ maxSize: maxUpload, onError: (c) => c.json(errorBody('TOO_LARGE', `upload: at most ${maxUpload} bytes`), 413) }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      const files: Array<{ name: string; bytes: Uint8Array }> = [];
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.formData();
        for (const [, v] of form.entries()) {
          if (typeof v === 'object' && 'arrayBuffer' in v) files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
        }
      } else if (type.startsWith('application/json')) {
        const body = await c.req.json<unknown>().catch(() => null);
        const list = Array.isArray(body) ? body : [body];
        for (const item of list) {
          const d = item as { name?: unknown; content?: unknown };
          if (typeof d?.name !== 'string' || typeof d.content !== 'string') throw new ApiError('INVALID_BODY', 'body: expected { name, content } (or a list of them)');
          files.push({ name: d.name, bytes: new TextEncoder().encode(d.content) });
        }
      } else {
        throw new ApiError('INVALID_BODY', 'Content-Type: multipart/form-data (files) or application/json ({ name, content })');
      }
      if (files.length === 0) throw new ApiError('INVALID_BODY', 'no files in the request');
      for (const f of files) {
        if (!/^[^/\\\u0000]{1,200}\.(txt|html?|md)$/i.test(f.name)) throw new ApiError('INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} must be a plain file name ending in .txt, .html, .htm or .md`);
      }
      const summary = await services.upload(files);
      return c.json(summary, summary.indexed > 0 || summary.unchanged > 0 ? 200 : 422);
    },
  );

  app.delete('/notices/:id', async (c) => {
    const { id } = parseParams(idSchema, { id: c.req.param('id') });
    if (!(await services.deleteNotice(id))) throw new ApiError('NOT_FOUND', `no notice ${id}`);
    return c.json({ deleted: id });
  });

  app.post('/reindex', async (c) => c.json(await services.reindex()));

  // Ends every admin request here: an unknown admin path never falls through to the public routes' CORS.
  app.all('*', (c) => {
    throw new ApiError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`);
  });
  return app;
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
