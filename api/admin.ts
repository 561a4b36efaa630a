/**
 * The admin routes, mounted at /api/admin: off unless ADMIN_KEY is set (every path answers 404),
 * then only with `Authorization: Bearer $ADMIN_KEY` (wrong keys slowed and logged: admin-auth.ts);
 * never open to other origins (no CORS headers). Each validates, calls one service (services.ts)
 * and shapes the JSON.
 *
 * | route | service |
 * |---|---|
 * | `POST /api/admin/documents` | `upload` (an index run over the files) |
 * | `DELETE /api/admin/notices/:id` | `deleteNotice` |
 * | `POST /api/admin/reindex` | `reindex` (a rebuild swapped in) |
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { httpUrl } from '../src/enrich.ts';
import { uploadNameProblem } from '../src/upload-name.ts';
import { adminAuth } from './admin-auth.ts';
import { clientOf } from './client-address.ts';
import { ApiError, errorBody } from './errors.ts';
import { methodNotAllowed } from './methods.ts';
import { idSchema, parseParams } from './params.ts';
import type { Services } from './services.ts';

export interface AdminOptions {
  adminKey?: string | undefined;
  /** Largest admin upload, bytes. */
  maxUploadBytes?: number;
  /** The key a client is counted under for failed admin keys (api/client-address.ts); the socket address by default. */
  clientOf?: ((c: Context) => string) | undefined;
}

export function createAdminApp(services: Services, options: AdminOptions = {}): Hono {
  const app = new Hono();

  app.use('*', adminAuth({ key: options.adminKey, clientOf: options.clientOf ?? clientOf(0) }));

  const maxUpload = options.maxUploadBytes ?? 20 * 1024 * 1024;
  app.post(
    '/documents',
    bodyLimit({ maxSize: maxUpload, onError: (c) => c.json(errorBody('TOO_LARGE', `upload: at most ${maxUpload} bytes`), 413) }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      const files: Array<{ name: string; bytes: Uint8Array; url?: string | undefined }> = [];
      if (type.startsWith('multipart/form-data')) {
        const form = await c.req.formData();
        const urls: unknown[] = [];
        for (const [key, v] of form.entries()) {
          if (typeof v === 'object' && 'arrayBuffer' in v) files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
          else if (key === 'url') urls.push(v);
        }
        // `url` fields name the files' pages in the files' order: one per file, or none.
        if (urls.length > 0 && urls.length !== files.length) throw new ApiError('INVALID_PARAMETER', `url: ${urls.length} url fields for ${files.length} files (give one per file, in the files' order)`);
        urls.forEach((u, i) => {
          const file = files[i];
          if (file) file.url = pageUrl(u);
        });
      } else if (type.startsWith('application/json')) {
        const body = await c.req.json<unknown>().catch(() => null);
        const list = Array.isArray(body) ? body : [body];
        for (const item of list) {
          const d = item as { name?: unknown; content?: unknown; encoding?: unknown; url?: unknown };
          if (typeof d?.name !== 'string' || typeof d.content !== 'string') throw new ApiError('INVALID_BODY', 'body: expected { name, content, encoding?, url? } (or a list of them)');
          if (d.encoding !== undefined && d.encoding !== 'utf-8' && d.encoding !== 'base64') throw new ApiError('INVALID_PARAMETER', 'encoding: "utf-8" (the default) or "base64" (PDF and Word files)');
          if (d.encoding === 'base64' && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(d.content)) throw new ApiError('INVALID_PARAMETER', `content of ${JSON.stringify(d.name.slice(0, 60))}: not base64`);
          files.push({ name: d.name, bytes: d.encoding === 'base64' ? new Uint8Array(Buffer.from(d.content, 'base64')) : new TextEncoder().encode(d.content), url: pageUrl(d.url) });
        }
      } else {
        throw new ApiError('INVALID_BODY', 'Content-Type: multipart/form-data (files, url fields) or application/json ({ name, content, encoding?, url? })');
      }
      if (files.length === 0) throw new ApiError('INVALID_BODY', 'no files in the request');
      const names = new Set<string>();
      for (const f of files) {
        const problem = uploadNameProblem(f.name);
        if (problem) throw new ApiError('INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} ${problem}`);
        if (names.has(f.name)) throw new ApiError('INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} given twice in one request`);
        names.add(f.name);
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
    const answer = methodNotAllowed(c, app.routes.map((r) => ({ method: r.method, path: `/api/admin${r.path}` })));
    if (answer) return answer;
    throw new ApiError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`);
  });
  return app;
}

/** The page a file was taken from, as given with an upload: an http(s) URL or nothing. */
function pageUrl(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const url = typeof value === 'string' ? httpUrl(value) : null;
  if (url === null) throw new ApiError('INVALID_PARAMETER', `url: ${JSON.stringify(String(value).slice(0, 60))} is not an http(s) URL`);
  return url;
}
