/**
 * Every error the API returns has the shape { error: { code, message } } and the status the
 * error catalogue (src/errors.ts) gives its code: 400 fix the request, 401 credentials, 404 no
 * such thing, 413 too large, 503 try again later, 500 ours. A coded error from anywhere in the
 * code is answered from the catalogue alone; anything else is INTERNAL.
 */
import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import { CodedError, describeError, type ErrorCode } from '../src/errors.ts';

/** An error raised by a route itself (a bad upload, an unknown id, missing credentials). */
export class ApiError extends CodedError {
  override readonly name = 'ApiError';
}

export function errorBody(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, ...details } };
}

export function toResponse(c: Context, err: unknown): Response {
  const coded = err instanceof CodedError ? err : undefined;
  const code = coded?.code ?? 'INTERNAL';
  const entry = describeError(code);
  if (entry.log) console.error(err);
  return c.json(errorBody(code, entry.message ?? coded?.message ?? 'internal error', coded?.details()), entry.status);
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

