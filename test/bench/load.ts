/**
 * Load: autocannon over loopback, a fixed list of requests sent round-robin by N connections
 * (one request in flight per connection, keep-alive), for a fixed time. Latency is every
 * response's time as autocannon measured it; requests/s is responses over the run's duration.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  rps: number;
  /** Mean response size, bytes. */
  bytes: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

export async function load(url: string, requests: readonly LoadRequest[], options: { concurrency: number; seconds: number }): Promise<LoadResult> {
  if (requests.length === 0) throw new Error('no requests to send');
  let next = 0;
  const times: number[] = [];
  let errors = 0;
  let bytes = 0;
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: Error) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url,
      connections: options.concurrency,
      duration: options.seconds,
      timeout: 30,
      requests: [
        {
          setupRequest: (req) => {
            const r = requests[next++ % requests.length]!;
            return { ...req, method: r.method, path: r.path, body: r.body, headers: { ...(r.body ? { 'content-type': 'application/json' } : {}), ...r.headers } };
          },
        },
      ],
    },
    (err, result) => (err ? failed(err) : done(result)),
  );
  instance.on('response', (_client, status, resBytes, ms) => {
    // 304: a revalidated answer (If-None-Match), a success.
    if ((status >= 200 && status < 300) || status === 304) times.push(ms);
    else errors++;
    bytes += resBytes;
  });
  const result = await finished;
  errors += result.errors + result.timeouts;
  times.sort((a, b) => a - b);
  const seconds = result.duration || options.seconds;
  return {
    concurrency: options.concurrency,
    requests: times.length,
    errors,
    p50: r1(percentile(times, 50)),
    p95: r1(percentile(times, 95)),
    p99: r1(percentile(times, 99)),
    mean: r1(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    rps: Math.round(times.length / seconds),
    bytes: Math.round(bytes / Math.max(1, times.length + errors)),
  };
}
