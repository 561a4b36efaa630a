/**
 * The admin routes, mounted at /api/admin: off unless ADMIN_KEY is set (every path answers 404),
 * then only with `Authorization: Bearer $ADMIN_KEY` (wrong keys slowed and logged: admin-auth.ts);
 * never open to other origins (no CORS headers). Each validates, calls one service (services.ts),
 * writes an audit line of what it changed (log.ts) and shapes the JSON.
 *
 * | route | service |
 * |---|---|
 * | `POST /api/admin/documents` | `upload` (an index run over the files) |
 * | `DELETE /api/admin/notices/:id` | `deleteNotice` |
 * | `POST /api/admin/reindex` | `reindex` (a rebuild swapped in), as a job |
 * | `POST /api/admin/backup` | `backup` (into DATA_DIR/backups), as a job |
 * | `GET /api/admin/jobs/:id` | a job's state (jobs.ts) |
 *
 * Every write (any method but GET) is refused at once with 507 DISK_LOW while free space is below
 * MIN_FREE_BYTES (src/watermark.ts). A job is waited for up to ADMIN_WAIT_MS, then answered 202
 * with its id (jobs.ts).
 */
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { uploadNameProblem } from '../src/upload-name.ts';
import { adminAuth } from './admin-auth.ts';
import { clientOf } from './client-address.ts';
import { ApiError, errorBody } from './errors.ts';
import { audit } from './log.ts';
import { createJobs, settlesWithin, type Job } from './jobs.ts';
import { methodNotAllowed } from './methods.ts';
import { idSchema, pageUrlSpec, parseParams, uploadBodySchema } from './params.ts';
import type { Services } from './services.ts';

export interface AdminOptions {
  adminKey?: string | undefined;
  /** Largest admin upload, bytes. */
  maxUploadBytes?: number;
  /** How long a job route waits before answering 202 with the job id, ms (ADMIN_WAIT_MS; default 20 s). */
  adminWaitMs?: number;
  /** The key a client is counted under for failed admin keys (api/client-address.ts); the socket address by default. */
  clientOf?: ((c: Context) => string) | undefined;
}

export function createAdminApp(services: Services, options: AdminOptions = {}): Hono {
  const app = new Hono();

  app.use('*', adminAuth({ key: options.adminKey, clientOf: options.clientOf ?? clientOf(0) }));

  // After auth: an unauthenticated caller learns nothing about the disk.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') await services.assertWritable(`${c.req.method} ${c.req.path}`);
    return next();
  });

  const jobs = createJobs();
  const waitMs = options.adminWaitMs ?? 20_000;
  /** The job's result (or its error) when it ends within the wait, else 202 with the job. */
  async function answerJob(job: Job<unknown>): Promise<Response> {
    if (await settlesWithin(job, waitMs)) return Response.json(await job.done);
    return Response.json({ job: job.view() }, { status: 202, headers: { Location: `/api/admin/jobs/${job.id}` } });
  }

  const maxUpload = options.maxUploadBytes ?? 20 * 1024 * 1024;
  app.post(
    '/documents',
    bodyLimit({ maxSize: maxUpload, onError: (c) => c.json(errorBody('TOO_LARGE', `upload: at most ${maxUpload} bytes`), 413) }),
    async (c) => {
      const files = await uploadedFiles(c);
      if (files.length === 0) throw new ApiError('INVALID_BODY', 'no files in the request');
      const names = new Set<string>();
      for (const f of files) {
        const problem = uploadNameProblem(f.name);
        if (problem) throw new ApiError('INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} ${problem}`);
        if (names.has(f.name)) throw new ApiError('INVALID_PARAMETER', `name: ${JSON.stringify(f.name.slice(0, 60))} given twice in one request`);
        names.add(f.name);
      }
      const summary = await services.upload(files);
      audit(c, 'upload', {
        files: files.map((f) => ({ name: f.name, bytes: f.bytes.byteLength, ...(f.url ? { url: f.url } : {}) })),
        indexed: summary.indexed,
        unchanged: summary.unchanged,
        skipped: summary.skipped.map((k) => ({ file: path.basename(k.file), reason: k.reason })),
        notices: summary.notices,
        passages: summary.passages,
      });
      return c.json(summary, summary.indexed > 0 || summary.unchanged > 0 ? 200 : 422);
    },
  );

  app.delete('/notices/:id', async (c) => {
    const { id } = parseParams(idSchema, { id: c.req.param('id') });
    const deleted = await services.deleteNotice(id);
    audit(c, 'delete', { notice: id, deleted });
    if (!deleted) throw new ApiError('NOT_FOUND', `no notice ${id}`);
    return c.json({ deleted: id });
  });

  app.post('/reindex', (c) => {
    audit(c, 'reindex-start', {});
    return answerJob(
      jobs.start('reindex', async (step) => {
        const summary = await services.reindex((p) => step(p.phase));
        audit(c, 'reindex', { files: summary.files, indexed: summary.indexed, skipped: summary.skipped.length, notices: summary.notices, passages: summary.passages, seconds: summary.seconds });
        return summary;
      }),
    );
  });

  app.post('/backup', (c) =>
    answerJob(
      jobs.start('backup', async (step) => {
        const { file, bytes, manifest } = await services.backup(undefined, step);
        audit(c, 'backup', { backup: path.basename(file), bytes });
        // The file's name only: where DATA_DIR is stays the server's business.
        return { backup: path.basename(file), bytes, manifest };
      }),
    ),
  );

  app.get('/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) throw new ApiError('NOT_FOUND', `no job ${c.req.param('id')} (jobs are kept in memory until a restart)`);
    return c.json({ job });
  });

  // Ends every admin request here: an unknown admin path never falls through to the public routes' CORS.
  app.all('*', (c) => {
    const answer = methodNotAllowed(c, app.routes.map((r) => ({ method: r.method, path: `/api/admin${r.path}` })));
    if (answer) return answer;
    throw new ApiError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`);
  });
  return app;
}

type UploadedFile = { name: string; bytes: Uint8Array; url?: string | undefined };

/** The files of an upload: multipart parts (with `url` fields in the files' order) or a JSON body of `uploadBodySchema`s. */
async function uploadedFiles(c: Context): Promise<UploadedFile[]> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) return multipartFiles(c);
  if (type.startsWith('application/json')) {
    const body = await c.req.json<unknown>().catch(() => null);
    const list = Array.isArray(body) ? body : [body];
    return list.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ApiError('INVALID_BODY', 'body: expected { name, content, encoding?, url? } (or a list of them)');
      const d = parseParams(uploadBodySchema, Object.fromEntries(Object.entries(item)), 'json', Array.isArray(body) ? `${i}.` : '');
      if (d.encoding === 'base64' && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(d.content)) throw new ApiError('INVALID_PARAMETER', `content of ${JSON.stringify(d.name.slice(0, 60))}: not base64`);
      return { name: d.name, bytes: d.encoding === 'base64' ? new Uint8Array(Buffer.from(d.content, 'base64')) : new TextEncoder().encode(d.content), url: d.url };
    });
  }
  throw new ApiError('INVALID_BODY', 'Content-Type: multipart/form-data (files, url fields) or application/json ({ name, content, encoding?, url? })');
}

async function multipartFiles(c: Context): Promise<UploadedFile[]> {
  // A missing or wrong boundary, or a body cut short, makes the platform's parser throw a bare TypeError.
  const form = await c.req.formData().catch((e: Error) => {
    throw new ApiError('INVALID_BODY', `multipart body could not be read (${e.message}): send multipart/form-data with the boundary its Content-Type names`);
  });
  const files: UploadedFile[] = [];
  const urls: unknown[] = [];
  for (const [key, v] of form.entries()) {
    if (typeof v === 'object' && 'arrayBuffer' in v) files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
    else if (key === 'url') urls.push(v);
  }
  // `url` fields name the files' pages in the files' order: one per file, or none.
  if (urls.length > 0 && urls.length !== files.length) throw new ApiError('INVALID_PARAMETER', `url: ${urls.length} url fields for ${files.length} files (give one per file, in the files' order)`);
  urls.forEach((u, i) => {
    const file = files[i];
    if (file) file.url = parseParams({ url: pageUrlSpec }, { url: u }, 'query').url;
  });
  return files;
}
