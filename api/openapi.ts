/** /openapi.json, generated from the same schemas that validate requests (params.ts). */
import { feedSchema, idSchema, noticesSchema, openApiBody, openApiParameters, searchSchema, similarBodySchema, similarSchema, suggestSchema, uploadBodySchema } from './params.ts';

const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: String(c), content: { 'application/json': { schema: error } } }]));
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const [id] = openApiParameters(idSchema, 'path');

export function openApiDocument(version: string): object {
  return {
    openapi: '3.1.0',
    info: { title: 'notice-search', version, description: 'Search over Chinese health-sector inspection notices (巡视/巡察整改进展情况的通报).' },
    paths: {
      '/api/search': { get: { summary: 'Search passages (mode=hybrid|semantic need the embedding model: 503 MODEL_* without it)', parameters: openApiParameters(searchSchema), responses: { 200: json('{ query, mode, total, offset, limit, tookMs, hits, facets }'), ...errors(400, 503) } } },
      '/api/passages/{id}': { get: { summary: 'One passage', parameters: [id], responses: { 200: json('Hit'), ...errors(400, 404, 503) } } },
      '/api/passages/{id}/similar': { get: { summary: 'Similar measures from other notices', parameters: [id, ...openApiParameters(similarSchema)], responses: { 200: json('{ passageId, text, tookMs, hits: [Hit with similarity (cosine) and duplicates (ids of collapsed copies)] }'), ...errors(400, 404, 503) } } },
      '/api/similar': {
        post: {
          summary: 'Measures similar to a text',
          requestBody: openApiBody(similarBodySchema),
          responses: { 200: json('{ passageId, text, tookMs, hits: [Hit with similarity (cosine) and duplicates (ids of collapsed copies)] }'), ...errors(400, 413, 503) },
        },
      },
      '/api/notices': { get: { summary: 'List notices', parameters: openApiParameters(noticesSchema), responses: { 200: json('{ total, offset, limit, notices }'), ...errors(400, 503) } } },
      '/api/notices/{id}': { get: { summary: 'One notice with its passages', parameters: [id], responses: { 200: json('Notice'), ...errors(400, 404, 503) } } },
      '/api/suggest': { get: { summary: 'Completions for a partial query', parameters: openApiParameters(suggestSchema), responses: { 200: json('{ suggestions }'), ...errors(400, 503) } } },
      '/api/feed.atom': { get: { summary: 'Atom feed of the newest notices matching a query and filters', parameters: openApiParameters(feedSchema), responses: { 200: { description: 'Atom 1.0', content: { 'application/atom+xml': { schema: { type: 'string' } } } }, ...errors(400, 503) } } },
      '/api/feed.json': { get: { summary: 'The same as JSON Feed 1.1', parameters: openApiParameters(feedSchema), responses: { 200: { description: 'JSON Feed 1.1', content: { 'application/feed+json': { schema: { type: 'object' } } } }, ...errors(400, 503) } } },
      '/healthz': { get: { summary: 'Readiness; status read-only while free disk is below MIN_FREE_BYTES', responses: { 200: json('{ status, engine, version, notices, passages, disk: { free, minFree, writable } }'), 503: json('not ready') } } },
      '/api/admin/documents': { post: { summary: 'Upload documents (indexed when the call returns): multipart files, with one url field per file (the page each was taken from) if known; or JSON { name, content, encoding?, url? } or a list of them (the JSON form below)', security: [{ bearer: [] }], requestBody: openApiBody(uploadBodySchema), responses: { 200: json('index summary'), ...errors(400, 401, 404, 413, 507) } } },
      '/api/admin/notices/{id}': { delete: { summary: 'Delete a notice', security: [{ bearer: [] }], parameters: [id], responses: { 200: json('{ deleted }'), ...errors(401, 404, 507) } } },
      '/api/admin/reindex': { post: { summary: 'Rebuild the index and swap it in (a job: 202 with its id past ADMIN_WAIT_MS)', security: [{ bearer: [] }], responses: { 200: json('index summary'), 202: json('{ job }'), ...errors(401, 404, 507) } } },
      '/api/admin/backup': { post: { summary: 'Write a backup into DATA_DIR/backups (a job: 202 with its id past ADMIN_WAIT_MS)', security: [{ bearer: [] }], responses: { 200: json('{ backup, bytes, manifest }'), 202: json('{ job }'), ...errors(401, 404, 507) } } },
      '/api/admin/jobs/{id}': { get: { summary: 'An admin job: { job: { id, kind, state, step, startedAt, finishedAt, result?, error? } }', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('{ job }'), ...errors(401, 404) } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } } },
    },
  };
}
