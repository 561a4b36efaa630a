/**
 * Every error the API returns has the shape { error: { code, message } } and a status a client can
 * act on: 400 fix the request, 401 credentials, 404 no such thing, 413 too large, 429 slow down,
 * 503 try again later.
 */
import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { EngineError } from '../src/engine/client.ts';
import { NetworkError } from '../src/engine/network.ts';
import { FilterError } from '../src/filter.ts';
import { QueryError } from '../src/query.ts';
import { ParamError } from './params.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function toResponse(c: Context, err: unknown): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message), err.status);
  if (err instanceof ParamError) return c.json(errorBody(err.code, err.message), 400);
  if (err instanceof QueryError) return c.json(errorBody(err.code, err.message), 400);
  if (err instanceof FilterError) return c.json(errorBody('INVALID_PARAMETER', err.message), 400);
  if (err instanceof NetworkError) {
    // Several nodes (MEILI_NETWORK) and some did not answer: say which, never answer with part of the data.
    return c.json({ error: { code: 'ENGINE_NODES_UNAVAILABLE', message: `search engine node${err.nodes.length > 1 ? 's' : ''} ${err.nodes.join(', ')} not reachable; results without ${err.nodes.length > 1 ? 'them' : 'it'} would be incomplete, so none are given; try again shortly`, nodes: err.nodes } }, 503);
  }
  if (err instanceof EngineError) {
    if (err.code === 'ENGINE_REJECTED' && err.status === 404) return c.json(errorBody('NOT_READY', 'the index does not exist yet; indexing has not finished'), 503);
    if (err.code === 'ENGINE_REJECTED') {
      console.error(err);
      return c.json(errorBody('ENGINE_REJECTED', 'the search engine rejected the request'), 500);
    }
    return c.json(errorBody('ENGINE_UNAVAILABLE', 'the search engine is not reachable right now; try again shortly'), 503);
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('MODEL_')) {
    return c.json(errorBody(code, (err as Error).message), 503);
  }
  console.error(err);
  return c.json(errorBody('INTERNAL', 'internal error'), 500);
}

/**
 * The answer to a request Node's HTTP parser refused before any route saw it, in the API's error
 * shape instead of Node's bare 400. The commonest: Chinese typed straight into a URL
 * (`curl 'host/api/search?q=医共体'`); browsers percent-encode it, curl does not.
 */
function parseErrorAnswer(err: Error & { code?: string }): string {
  const invalidUrl = err.code === 'HPE_INVALID_URL' || /url/i.test(err.message);
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = JSON.stringify(
    invalidUrl
      ? errorBody('INVALID_URL', 'the URL has characters that must be percent-encoded (RFC 3986): encode the query, e.g. curl -G URL --data-urlencode q=医共体')
      : errorBody(status === 431 ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST', `the request could not be parsed: ${err.message}`),
  );
  const reason = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Answers the requests the HTTP parser refuses with `parseErrorAnswer` (npm start's server). */
export function answerParseErrors(server: { on(event: 'clientError', listener: (err: Error, socket: Duplex) => void): unknown }): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(parseErrorAnswer(err));
  });
}

