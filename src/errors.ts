/**
 * The error catalogue: every error code the product raises, the HTTP status it is answered with,
 * and the module that raises it. Errors are `CodedError`s: the API answers any of them from this
 * table alone (api/errors.ts), so a new code is one line here and nothing elsewhere.
 *
 * `message`: the text answered instead of the error's own (which may carry engine internals);
 * `log`: written to the server log when answered (a fault of ours or of the engine, not the caller's).
 */

type Status = 400 | 401 | 404 | 405 | 408 | 413 | 429 | 431 | 500 | 503 | 507;

interface Entry {
  status: Status;
  /** Who raises it. */
  owner: string;
  message?: string;
  log?: boolean;
}

const ERRORS = {
  // The request: fix it and ask again.
  INVALID_PARAMETER: { status: 400, owner: 'api/params.ts (schemas), src/filter.ts' },
  INVALID_BODY: { status: 400, owner: 'api/params.ts, api/admin.ts' },
  QUERY_TOO_LONG: { status: 400, owner: 'src/query.ts' },
  QUERY_TOO_MANY_TERMS: { status: 400, owner: 'src/query.ts' },
  QUERY_SINGLE_CHARS: { status: 400, owner: 'src/query.ts' },
  QUERY_SYNTAX: { status: 400, owner: 'src/query.ts' },
  QUERY_TOO_BROAD: { status: 400, owner: 'src/search.ts' },
  INVALID_URL: { status: 400, owner: 'api/errors.ts (requests the HTTP parser refuses)' },
  BAD_REQUEST: { status: 400, owner: 'api/errors.ts (requests the HTTP parser refuses)' },
  HEADERS_TOO_LARGE: { status: 431, owner: 'api/errors.ts (requests the HTTP parser refuses)' },
  REQUEST_TIMEOUT: { status: 408, owner: 'api/errors.ts (a request not received within REQUEST_TIMEOUT_MS or HEADERS_TIMEOUT_MS)' },
  UNAUTHORIZED: { status: 401, owner: 'api/admin.ts' },
  NOT_FOUND: { status: 404, owner: 'api/ (routes, ids), src/similar.ts' },
  METHOD_NOT_ALLOWED: { status: 405, owner: 'api/methods.ts (a known path asked with another method)' },
  TOO_LARGE: { status: 413, owner: 'api/public.ts, api/admin.ts (body limits)' },
  RATE_LIMITED: { status: 429, owner: 'api/limits.ts (RATE_LIMIT, MODEL_RATE_LIMIT), api/admin-auth.ts (failed admin keys)' },
  // Not now: try again later.
  MODEL_BUSY: { status: 503, owner: 'api/limits.ts (MODEL_CONCURRENCY, MODEL_QUEUE full or MODEL_QUEUE_MS waited)' },
  NOT_READY: { status: 503, owner: 'api/app.ts (first index run not finished), src/engine/client.ts (index missing)' },
  ENGINE_UNAVAILABLE: { status: 503, owner: 'src/engine/client.ts', message: 'the search engine is not reachable right now; try again shortly' },
  ENGINE_NODES_UNAVAILABLE: { status: 503, owner: 'src/engine/fanout.ts (MEILI_NETWORK)' },
  ENGINE_STORE_CORRUPT: { status: 503, owner: 'src/engine/process.ts (store.ts: our own Meilisearch\'s files cannot be read whole)', log: true },
  MODEL_UNAVAILABLE: { status: 503, owner: 'api/services.ts (EMBEDDINGS=off)' },
  MODEL_MISSING: { status: 503, owner: 'src/embed.ts, indexer/model.ts' },
  MODEL_CORRUPT: { status: 503, owner: 'src/embed.ts, indexer/model.ts' },
  MODEL_FETCH_FAILED: { status: 503, owner: 'indexer/model.ts' },
  MODEL_LOAD_FAILED: { status: 503, owner: 'src/embed.ts' },
  VECTORS_MISSING: { status: 503, owner: 'src/similar.ts' },
  // Ours or the engine's fault.
  ENGINE_REJECTED: { status: 500, owner: 'src/engine/client.ts', message: 'the search engine rejected the request', log: true },
  ENGINE_TASK_FAILED: { status: 500, owner: 'src/engine/client.ts, src/engine/tasks.ts', message: 'the search engine could not apply a change', log: true },
  INTERNAL: { status: 500, owner: 'api/errors.ts (anything uncoded)', message: 'internal error', log: true },
  // Start-up only: they stop `npm start` or a CLI with their message and are never answered.
  CONFIG_INVALID: { status: 500, owner: 'src/config.ts', log: true },
  ENGINE_BINARY_MISSING: { status: 500, owner: 'src/engine/process.ts', log: true },
  ENGINE_START_FAILED: { status: 500, owner: 'src/engine/process.ts', log: true },
  DICT_MISSING: { status: 500, owner: 'src/dict.ts', log: true },
  DICT_MALFORMED: { status: 500, owner: 'src/dict.ts', log: true },
  SEGMENT_DICT_MISSING: { status: 500, owner: 'src/segment.ts', log: true },
  SEGMENT_DICT_MALFORMED: { status: 500, owner: 'src/segment.ts', log: true },
  SEGMENT_DICT_CONFLICT: { status: 500, owner: 'src/segment.ts', log: true },
  // Backups and disk watermarks (docs/operations.md).
  DISK_LOW: { status: 507, owner: 'src/watermark.ts (free space below MIN_FREE_BYTES: writes refused, searches answered)' },
  BACKUP_FAILED: { status: 500, owner: 'indexer/backup.ts', log: true },
  BACKUP_INVALID: { status: 400, owner: 'indexer/backup.ts (restore: not a backup of this product, or a damaged one)' },
  RESTORE_TARGET_NOT_EMPTY: { status: 500, owner: 'indexer/backup.ts (restore into a DATA_DIR that already holds an index or uploads)' },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERRORS;

/** Status, answered message and whether to log, for a code. */
export function describeError(code: ErrorCode): Entry {
  return ERRORS[code];
}

/** An error a caller can act on: its code names it in the catalogue, which gives its status. */
export class CodedError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): Status {
    return ERRORS[this.code].status;
  }

  /** Fields added to the error body beside code and message. */
  details(): Record<string, unknown> {
    return {};
  }
}
