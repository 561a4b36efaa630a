/**
 * One Meilisearch node behind the engine port (port.ts), over our own transport: JSON over
 * node:http with a keep-alive agent.
 *
 * Not the `meilisearch` JS client: it goes through `fetch` (undici), which on loopback costs
 * tens of milliseconds per request where Meilisearch itself answers in a few (measured by
 * `npm run bench`, section "transport"). A plain keep-alive request with the body written in one
 * piece does not pay that.
 *
 * Every engine URL of the product is written in this file (and, for the network's own set-up
 * and federated search, in network.ts and federation.ts). "Not found" becomes `undefined` in
 * one place, `orUndefined`.
 */
import http from 'node:http';
import { CodedError } from '../errors.ts';
import type {
  Doc, Engine, Index, IndexInfo, IndexStats, MultiSearchQuery, SearchResult, TaskRef, TaskStatus,
} from './port.ts';

export type EngineErrorCode = 'ENGINE_UNAVAILABLE' | 'ENGINE_REJECTED' | 'ENGINE_TASK_FAILED' | 'ENGINE_NODES_UNAVAILABLE' | 'NOT_READY';

export class EngineError extends CodedError<EngineErrorCode> {
  constructor(
    /**
     * ENGINE_UNAVAILABLE: no answer (down, refused, timed out). ENGINE_REJECTED: Meilisearch said
     * no. NOT_READY: the index does not exist (yet). ENGINE_TASK_FAILED: a write was refused.
     */
    code: EngineErrorCode,
    message: string,
    /** The HTTP status Meilisearch answered with. */
    readonly engineStatus?: number,
    /** Meilisearch's own error code (`document_not_found`, `index_not_found`, …). */
    readonly engineCode?: string,
  ) {
    super(code, message);
    this.name = 'EngineError';
  }
}

/** A missing document, index or key: the engine's 404. */
function isNotFound(e: unknown): boolean {
  return e instanceof EngineError && e.engineStatus === 404;
}

/** The one place "not found" becomes `undefined`. */
export function orUndefined<T>(answer: Promise<T>): Promise<T | undefined> {
  return answer.catch((e: unknown) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
}

export interface EngineOptions {
  url: string;
  key?: string | undefined;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
  /**
   * Why the engine does not answer, when its supervisor knows (a corrupt store): a request that
   * finds no engine fails with this error instead of ENGINE_UNAVAILABLE.
   */
  fault?: (() => CodedError | undefined) | undefined;
}

/** Raw requests to one node: for this folder, and for the bench that measures the transport itself. */
export interface Transport {
  readonly url: string;
  request<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T>;
  close(): void;
}

/** A field of a parsed JSON value, if it is an object that has it. */
export function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}

function stringOr<T>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

export function createTransport(options: EngineOptions): Transport {
  const base = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128, keepAliveMsecs: 10_000 });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const authorization = options.key ? `Bearer ${options.key}` : undefined;
  const prefix = base.pathname.replace(/\/$/, '');

  function request<T>(method: string, path: string, body?: unknown, requestTimeout = timeoutMs): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (authorization) headers.authorization = authorization;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port || 80,
          method,
          path: prefix + path,
          headers,
          timeout: requestTimeout,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(options.fault?.() ?? new EngineError('ENGINE_UNAVAILABLE', `search engine connection failed: ${e.message}`)));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = raw ? JSON.parse(raw) : undefined;
            } catch {
              parsed = raw;
            }
            const status = res.statusCode ?? 0;
            // The one unchecked step: the engine's JSON is taken to have the shape its route documents.
            if (status >= 200 && status < 300) return resolve(parsed as T);
            const said = fieldOf(parsed, 'message');
            const engineCode = stringOr(fieldOf(parsed, 'code'), undefined);
            const message = `search engine answered ${status} to ${method} ${path}: ${stringOr(said, raw.slice(0, 200))}`;
            const code = status >= 500 ? 'ENGINE_UNAVAILABLE' : engineCode === 'index_not_found' ? 'NOT_READY' : 'ENGINE_REJECTED';
            // A missing index is answered to the caller as it is (not ready yet), without the engine's own words.
            reject(new EngineError(code, code === 'NOT_READY' ? 'the index does not exist yet; indexing has not finished' : message, status, engineCode));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${requestTimeout} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(options.fault?.() ?? new EngineError('ENGINE_UNAVAILABLE', `search engine at ${base.origin} unreachable: ${e.code ?? e.message}`)),
      );
      // One write for the whole request: headers and body in the same segment.
      req.end(payload);
    });
  }

  return { url: base.origin + prefix, request, close: () => agent.destroy() };
}

/** Polls a task of one node until it is done; throws ENGINE_TASK_FAILED if it failed. */
async function waitForTask(transport: Transport, uid: number, waitTimeout = 10 * 60_000): Promise<TaskStatus> {
  const deadline = Date.now() + waitTimeout;
  let delay = 5;
  for (;;) {
    const status = await transport.request<TaskStatus>('GET', `/tasks/${uid}`);
    if (status.status === 'succeeded') return status;
    if (status.status === 'failed' || status.status === 'canceled') {
      throw new EngineError(
        'ENGINE_TASK_FAILED',
        `engine task ${uid} (${status.type}) ${status.status}: ${status.error?.message ?? 'no reason given'}`,
        undefined,
        status.error?.code,
      );
    }
    if (Date.now() > deadline) throw new EngineError('ENGINE_UNAVAILABLE', `engine task ${uid} still ${status.status} after ${waitTimeout} ms`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}

const enc = encodeURIComponent;

/** The port over one node's transport. */
export function engineOver(transport: Transport): Engine {
  const t = transport;

  function index<D extends Doc>(uid: string): Index<D> {
    const at = `/indexes/${enc(uid)}`;
    return {
      uid,
      search: (query) => t.request('POST', `${at}/search`, query),
      getDocument: (id, options = {}) => {
        const params = new URLSearchParams();
        if (options.fields) params.set('fields', options.fields.join(','));
        if (options.retrieveVectors) params.set('retrieveVectors', 'true');
        const qs = params.size ? `?${params.toString()}` : '';
        return orUndefined(t.request(`GET`, `${at}/documents/${enc(id)}${qs}`));
      },
      fetchDocuments: (query) => t.request('POST', `${at}/documents/fetch`, query),
      addDocuments: (docs) => t.request('POST', `${at}/documents`, docs),
      deleteByFilter: (filter) => t.request('POST', `${at}/documents/delete`, { filter }),
      deleteDocuments: (ids) => t.request('POST', `${at}/documents/delete-batch`, ids),
      stats: (timeoutMs) => orUndefined(t.request<IndexStats>('GET', `${at}/stats`, undefined, timeoutMs)),
      info: () => orUndefined(t.request<IndexInfo>('GET', at)),
      create: (primaryKey) => t.request('POST', '/indexes', { uid, primaryKey }),
      delete: () => t.request('DELETE', at),
      updateSettings: (settings) => t.request('PATCH', `${at}/settings`, settings),
    };
  }

  async function multiSearch<D extends Doc, K extends keyof D & string>(queries: ReadonlyArray<MultiSearchQuery<K>>): Promise<Array<SearchResult<Pick<D, K>>>> {
    return (await t.request<{ results: Array<SearchResult<Pick<D, K>>> }>('POST', '/multi-search', { queries })).results;
  }

  return {
    url: t.url,
    index,
    multiSearch,
    swap: (pairs) => t.request<TaskRef>('POST', '/swap-indexes', pairs.map((p) => ({ indexes: p }))),
    wait: (task, timeoutMs) => waitForTask(t, typeof task === 'number' ? task : task.taskUid, timeoutMs),
    async lastWrite(timeoutMs) {
      const { results } = await t.request<{ results: Array<{ uid: number; finishedAt: string | null }> }>('GET', '/tasks?statuses=succeeded&limit=1', undefined, timeoutMs);
      // finishedAt as well as uid: a store rebuilt or restored from a backup numbers its tasks anew.
      const last = results[0];
      return last ? `${last.uid}.${last.finishedAt ? Date.parse(last.finishedAt).toString(36) : ''}` : '0';
    },
    async settle(timeoutMs) {
      // Tasks are listed newest first and applied in order: the newest done means all are.
      const { results } = await t.request<{ results: Array<{ uid: number }> }>('GET', '/tasks?statuses=enqueued,processing&limit=1');
      const newest = results[0];
      if (!newest) return;
      await waitForTask(t, newest.uid, timeoutMs).catch((e: unknown) => {
        // Another writer's task that failed is done all the same.
        if (!(e instanceof EngineError && e.code === 'ENGINE_TASK_FAILED')) throw e;
      });
    },
    async health(timeoutMs) {
      await t.request('GET', '/health', undefined, timeoutMs);
    },
    async version(timeoutMs) {
      return (await t.request<{ pkgVersion: string }>('GET', '/version', undefined, timeoutMs)).pkgVersion;
    },
    snapshot: () => t.request<TaskRef>('POST', '/snapshots'),
    close: () => t.close(),
  };
}

/**
 * One node.
 *
 * @example
 * const engine = createEngine({ url: 'http://127.0.0.1:7700', key });
 * const { hits, totalHits } = await engine.index<PassageDoc>('passages').search({ q: '…', page: 1, hitsPerPage: 20, attributesToRetrieve: ['id', 'text'] });
 */
export function createEngine(options: EngineOptions): Engine {
  return engineOver(createTransport(options));
}
