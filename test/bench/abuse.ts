/**
 * npm run bench -- --abuse [--seconds S]: one anonymous client hammering the model routes while
 * others search by keyword (issue 12 "abuse limits").
 *
 * The API runs as its own process (`npm start`) on the bundled corpus with the model loaded, its
 * data kept in bench-out/abuse-data (the first run embeds the corpus, later runs reuse it), rate
 * limits off (RATE_LIMIT=0, MODEL_RATE_LIMIT=0: one client stands for many, and the budgets would
 * otherwise be what refuses it). For the product's model cap (MODEL_CONCURRENCY, MODEL_QUEUE,
 * MODEL_QUEUE_MS from the environment, else the defaults) and for no cap (MODEL_CONCURRENCY=0):
 *
 *  1. keyword alone: c = 8 searches of the public eval terms, closed loop, S seconds;
 *  2. the same c = 8 keyword stream plus c = 32 `POST /api/similar` with unique texts of about
 *     2,000 characters (no query-embedding cache hit), at the same time.
 *
 * It reports keyword p50/p95 in both (and their ratio: the issue asks for at most 2×), and for
 * the model stream: answers by status, refusals (429/503) carrying Retry-After, and latencies of
 * the answered and of the refused. Each client is node:http over keep-alive sockets, one request
 * in flight per socket, as autocannon does, but keeping each answer's status and headers.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { readConfig } from '../../src/config.ts';
import { ROOT, MODEL_DIR } from '../helpers/stack.ts';
import { percentile } from './load.ts';
import { startApi } from './procs.ts';
import { publicTerms } from './workloads.ts';

interface Answer {
  status: number;
  ms: number;
  retryAfter: boolean;
}

interface Stream {
  concurrency: number;
  answers: Answer[];
  /** Connection errors and timeouts. */
  errors: number;
}

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

// Keyword searches are computed afresh: answered from the response cache they would cost next to
// nothing whatever the model does, and the ratio would measure the cache, not the cap.
const NO_CACHE = { 'cache-control': 'no-cache' };

function send(agent: http.Agent, base: URL, req: Request): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request(
      { agent, host: base.hostname, port: base.port, method: req.method, path: req.path, headers: req.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) } : NO_CACHE, timeout: 60_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, retryAfter: res.headers['retry-after'] !== undefined }));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** `concurrency` loops, each sending `next()` and waiting for the answer, until `until`. */
async function closedLoop(url: string, next: () => Request, concurrency: number, until: number): Promise<Stream> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const base = new URL(url);
  const stream: Stream = { concurrency, answers: [], errors: 0 };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        try {
          stream.answers.push(await send(agent, base, next()));
        } catch {
          stream.errors++;
        }
      }
    }),
  );
  agent.destroy();
  return stream;
}

interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function latency(answers: readonly Answer[]): Latency {
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  return { n: ms.length, p50: r1(percentile(ms, 50)), p95: r1(percentile(ms, 95)), p99: r1(percentile(ms, 99)) };
}

interface Run {
  label: string;
  env: Record<string, string>;
  keywordAlone: Latency & { errors: number; non200: number };
  keywordUnderLoad: Latency & { errors: number; non200: number };
  ratio: number;
  model: {
    seconds: number;
    byStatus: Record<string, number>;
    answered: Latency;
    refused: Latency;
    refusedWithRetryAfter: number;
    errors: number;
  };
}

/** Lines of the bundled corpus to build the long texts from. */
function corpusLines(): string[] {
  const dir = path.join(ROOT, 'data/corpus');
  return readdirSync(dir)
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .map((l) => l.trim())
    .filter((l) => Array.from(l).length >= 40);
}

export async function runAbuse(options: { seconds: number; out: string; log: (m: string) => void }): Promise<string> {
  const { seconds, out, log } = options;
  // Unique texts of 2,000 characters (the most POST /api/similar takes): a counter and a window
  // into the corpus's lines, cheap to cut so that the client spends its CPU on sending.
  const pool = corpusLines().join('');
  let n = 0;
  const longText = () => {
    const i = n++;
    const head = `第${i}号:`;
    const start = (i * 7919) % (pool.length - 2000);
    return head + pool.slice(start, start + 2000 - head.length);
  };
  const terms = publicTerms().terms;
  let t = 0;
  const keyword = (): Request => ({ method: 'GET', path: `/api/search?q=${encodeURIComponent(terms[t++ % terms.length]!)}&limit=20` });
  const similar = (): Request => ({ method: 'POST', path: '/api/similar', body: JSON.stringify({ text: longText(), limit: 10 }) });

  const dataDir = path.join(out, 'abuse-data');
  mkdirSync(dataDir, { recursive: true });
  const pick = (name: string) => (process.env[name] ? { [name]: process.env[name]! } : {});
  const cap = readConfig({ ...pick('MODEL_CONCURRENCY'), ...pick('MODEL_QUEUE'), ...pick('MODEL_QUEUE_MS') }).limits;
  const capEnv = { MODEL_CONCURRENCY: String(cap.modelConcurrency), MODEL_QUEUE: String(cap.modelQueue), MODEL_QUEUE_MS: String(cap.modelQueueMs) };
  const configs: Array<{ label: string; env: Record<string, string> }> = [
    { label: `model cap (${Object.entries(capEnv).map(([k, v]) => `${k}=${v}`).join(' ')})`, env: capEnv },
    { label: 'no cap (MODEL_CONCURRENCY=0)', env: { MODEL_CONCURRENCY: '0' } },
  ];
  const runs: Run[] = [];
  for (const cfg of configs) {
    log(`abuse: starting the API (${cfg.label})`);
    const api = await startApi({
      dataDir,
      env: { EMBEDDINGS: 'on', MODEL_DIR, RATE_LIMIT: '0', MODEL_RATE_LIMIT: '0', ...cfg.env },
      log,
      logFile: path.join(out, 'abuse-api.log'),
    });
    try {
      // Warm: the model, the engine's caches, the sockets; and both requests are answered.
      const warm = [...(await closedLoop(api.url, keyword, 8, Date.now() + 1000)).answers, ...(await closedLoop(api.url, similar, 2, Date.now() + 2000)).answers];
      const wrong = warm.find((a) => a.status !== 200);
      if (wrong) throw new Error(`abuse: a warm-up request answered ${wrong.status}; see ${path.join(out, 'abuse-api.log')}`);
      log(`  keyword alone, c=8, ${seconds} s`);
      const alone = await closedLoop(api.url, keyword, 8, Date.now() + seconds * 1000);
      log(`  keyword c=8 + similar c=32, ${seconds} s`);
      const until = Date.now() + seconds * 1000;
      const [kw, model] = await Promise.all([closedLoop(api.url, keyword, 8, until), closedLoop(api.url, similar, 32, until)]);
      const ok = (s: Stream) => s.answers.filter((a) => a.status === 200);
      const refused = model.answers.filter((a) => a.status === 429 || a.status === 503);
      const byStatus: Record<string, number> = {};
      for (const a of model.answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
      const aloneLat = latency(ok(alone));
      const underLat = latency(ok(kw));
      const run: Run = {
        label: cfg.label,
        env: cfg.env,
        keywordAlone: { ...aloneLat, errors: alone.errors, non200: alone.answers.length - aloneLat.n },
        keywordUnderLoad: { ...underLat, errors: kw.errors, non200: kw.answers.length - underLat.n },
        ratio: Math.round((underLat.p50 / Math.max(0.1, aloneLat.p50)) * 100) / 100,
        model: {
          seconds,
          byStatus,
          answered: latency(ok(model)),
          refused: latency(refused),
          refusedWithRetryAfter: refused.filter((a) => a.retryAfter).length,
          errors: model.errors,
        },
      };
      runs.push(run);
      log(`  keyword p50 ${run.keywordAlone.p50} → ${run.keywordUnderLoad.p50} ms (${run.ratio}×); similar ${JSON.stringify(byStatus)}, refused p50 ${run.model.refused.p50} ms, answered p50 ${run.model.answered.p50} ms`);
    } finally {
      await api.stop();
    }
  }
  const markdown = renderAbuse(runs, seconds);
  writeFileSync(path.join(out, 'abuse.md'), markdown);
  writeFileSync(path.join(out, 'abuse.json'), JSON.stringify({ date: new Date().toISOString(), seconds, runs }, null, 1));
  return markdown;
}

function renderAbuse(runs: readonly Run[], seconds: number): string {
  const rows = runs.map((r) => {
    const m = r.model;
    const refusedN = m.refused.n;
    return `| ${r.label} | ${r.keywordAlone.p50} / ${r.keywordAlone.p95} | ${r.keywordUnderLoad.p50} / ${r.keywordUnderLoad.p95} | ${r.ratio}× | ${r.keywordUnderLoad.non200 + r.keywordUnderLoad.errors} | ${m.byStatus['200'] ?? 0} (${m.answered.p50} / ${m.answered.p95}) | ${refusedN} (${refusedN ? `${m.refused.p50} / ${m.refused.p99}` : '–'}) | ${m.refusedWithRetryAfter} | ${m.errors} |`;
  });
  return [
    '# Abuse: model routes flooded while others search',
    '',
    `\`npm run bench -- --abuse\`, ${seconds} s per stream, on the bundled corpus, the API as its own process (model loaded, RATE_LIMIT=0 and MODEL_RATE_LIMIT=0). Keyword: c = 8 searches of the public eval terms; model: c = 32 \`POST /api/similar\` with unique texts of ~2,000 characters, from one client. Latencies in ms (p50 / p95; refused: p50 / p99).`,
    '',
    '| API | keyword alone | keyword under model load | ratio (p50) | keyword not 200 | similar answered (p50 / p95) | similar refused 429/503 | of them with Retry-After | connection errors |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
