/**
 * The transport to Meilisearch: JSON over node:http with a keep-alive agent.
 *
 * Not the `meilisearch` JS client: it goes through `fetch` (undici), which on loopback costs
 * tens of milliseconds per request where Meilisearch itself answers in a few (measured by
 * `npm run bench`, section "transport"). A plain keep-alive request with the body written in one
 * piece does not pay that.
 */
import http from 'node:http';

export class EngineError extends Error {
  constructor(
    /** ENGINE_UNAVAILABLE: no answer (down, refused, timed out). ENGINE_REJECTED: Meilisearch said no. */
    readonly code: 'ENGINE_UNAVAILABLE' | 'ENGINE_REJECTED' | 'ENGINE_TASK_FAILED',
    message: string,
    readonly status?: number,
    readonly engineCode?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineOptions {
  url: string;
  key?: string | undefined;
  /** Per-request timeout in ms. */
  timeoutMs?: number;
}

export interface Task {
  taskUid: number;
}

export interface TaskStatus {
  uid: number;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  type: string;
  error?: { message: string; code: string } | null;
  duration?: string | null;
}

export interface Engine {
  readonly url: string;
  /** Several nodes (network.ts): the set of nodes documents are placed on. Unset for one node. */
  readonly layout?: string;
  request<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T>;
  /** Waits for a task and throws ENGINE_TASK_FAILED if it failed. */
  wait(task: Task | number, timeoutMs?: number): Promise<TaskStatus>;
  close(): void;
}

export function createEngine(options: EngineOptions): Engine {
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
          res.on('error', (e) => reject(new EngineError('ENGINE_UNAVAILABLE', `search engine connection failed: ${e.message}`)));
          res.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            try {
              parsed = raw ? JSON.parse(raw) : undefined;
            } catch {
              parsed = raw;
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(parsed as T);
            const err = (parsed ?? {}) as { message?: string; code?: string };
            reject(
              new EngineError(
                status >= 500 ? 'ENGINE_UNAVAILABLE' : 'ENGINE_REJECTED',
                `search engine answered ${status} to ${method} ${path}: ${err.message ?? raw.slice(0, 200)}`,
                status,
                err.code,
              ),
            );
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${requestTimeout} ms`)));
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(new EngineError('ENGINE_UNAVAILABLE', `search engine at ${base.origin} unreachable: ${e.code ?? e.message}`)),
      );
      // One write for the whole request: headers and body in the same segment.
      req.end(payload);
    });
  }

  async function wait(task: Task | number, waitTimeout = 10 * 60_000): Promise<TaskStatus> {
    const uid = typeof task === 'number' ? task : task.taskUid;
    const deadline = Date.now() + waitTimeout;
    let delay = 5;
    for (;;) {
      const status = await request<TaskStatus>('GET', `/tasks/${uid}`);
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

  return { url: base.origin + prefix, request, wait, close: () => agent.destroy() };
}
