/**
 * Every error the API returns has the shape { error: { code, message } } and the status the
 * error catalogue (src/errors.ts) gives its code: 400 fix the request, 401 credentials, 404 no
 * such thing, 408 sent too slowly, 413 too large, 503 try again later, 500 ours. A coded error
 * from anywhere in the code is answered from the catalogue alone; anything else is INTERNAL.
 */
import type { Duplex } from 'node:stream';
import type { Context } from 'hono';
import { CodedError, describeError, type ErrorCode } from '../src/errors.ts';
import { logOf, silentLogger, type Logger } from './log.ts';

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
  if (entry.log) logOf(c).error({ err, code }, 'error answered');
  return c.json(errorBody(code, entry.message ?? coded?.message ?? 'internal error', coded?.details()), entry.status);
}

/**
 * The answer to a request Node's HTTP parser refused before any route saw it, in the API's error
 * shape instead of Node's bare 400. The commonest: Chinese typed straight into a URL
 * (`curl 'host/api/search?q=医共体'`); browsers percent-encode it, curl does not.
 */
function parseErrorAnswer(err: Error & { code?: string }): { status: number; code: ErrorCode; answer: string } {
  const [status, code, message] = parseErrorOf(err);
  const body = JSON.stringify(errorBody(code, message));
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status];
  return { status, code, answer: `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}` };
}

function parseErrorOf(err: Error & { code?: string }): [400 | 408 | 431, ErrorCode, string] {
  // node:http's requestTimeout and headersTimeout (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS): a client too slow to send its request.
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'REQUEST_TIMEOUT', 'the request was not received in time: send the headers and body without pausing'];
  if (err.code === 'HPE_HEADER_OVERFLOW') return [431, 'HEADERS_TOO_LARGE', `the request could not be parsed: ${err.message}`];
  if (err.code === 'HPE_INVALID_URL' || /url/i.test(err.message)) {
    return [400, 'INVALID_URL', 'the URL has characters that must be percent-encoded (RFC 3986): encode the query, e.g. curl -G URL --data-urlencode q=医共体'];
  }
  return [400, 'BAD_REQUEST', `the request could not be parsed: ${err.message}`];
}

/** Answers the requests the HTTP parser refuses with `parseErrorAnswer` (npm start's server), each logged. */
export function answerParseErrors(server: { on(event: 'clientError', listener: (err: Error, socket: Duplex) => void): unknown }, log: Logger = silentLogger): void {
  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, code, answer } = parseErrorAnswer(err);
    log.info({ status, code, reason: err.code ?? err.message }, 'request refused before routing');
    socket.end(answer);
  });
}
