/**
 * npm run bench [-- --passages N] [--out DIR] [--seconds S] [--seed S] [--no-peers] [--nodes N]
 *
 * How fast and how large the product goes on this machine, and how it compares with what people
 * would use instead, measured in one run and written as one report (markdown and JSON) to
 * bench-out/ (or --out):
 *
 *  1. corpus: N passages of notices made from data/corpus, attributed to real places (corpus.ts);
 *  2. indexing through the product, in steps from 10k to N, without embedding, then with vectors
 *     (reused real vectors + noise, through the embed cache; real embedding speed is measured on
 *     the real passages) (index-steps.ts, vectors.ts);
 *  3. the API as its own process (`npm start` on the bench data, model loaded); autocannon at
 *     concurrency 1, 8 and 32 for keyword (with and without facets and filters), hybrid and
 *     similar, and the same keyword requests straight to its Meilisearch (load.ts, workloads.ts);
 *  4. memory (peak RSS of the API and of Meilisearch) and index size on disk (procs.ts);
 *  5. exactness at the API and the peers — Meilisearch defaults, SQLite FTS5 trigram, LIKE scan —
 *     on the same passages (peers.ts); the transport: meilisearch JS client vs ours (transport.ts);
 *  6. with --nodes N, the several-nodes section from test/bench/nodes.ts (`runNodes`);
 *  7. the response cache: a Zipf-distributed query log (zipf.ts) with the cache, without it, as
 *     304 revalidations, through the pass-through and raw.
 *
 * The API answers the first sections' requests afresh (they send `Cache-Control: no-cache`), so
 * their figures are the uncached path's, as before the cache.
 *
 * With --abuse, only the abuse section (test/bench/abuse.ts): model routes flooded while others
 * search by keyword, with and without the model cap.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTransport, engineOver } from '../../src/engine/client.ts';
import { createEmbedder } from '../../src/embed.ts';
import { buildHash } from '../../src/indexes.ts';
import { parseQuery } from '../../src/query.ts';
import { vectorSettings } from '../../src/settings.ts';
import { createSynonymIndex } from '../../src/synonyms.ts';
import { loadDictionary } from '../../indexer/dict-files.ts';
import { ensureModel } from '../../indexer/model.ts';
import { ROOT, MODEL_DIR } from '../helpers/stack.ts';
import { runAbuse } from './abuse.ts';
import { generateCorpus } from './corpus.ts';
import { indexInSteps, stepSizes, type IndexResult } from './index-steps.ts';
import { load, type LoadRequest, type LoadResult } from './load.ts';
import { apiAsStack, exactness, fetchPassages, fts5Peer, likePeer, meanOf, meiliDefaultPeer, peerAsStack, sequentialLatency, type Peer, type PeerResult } from './peers.ts';
import { memoryOf, startApi, type Memory } from './procs.ts';
import { renderReport, type BenchResult } from './report.ts';
import { startPassthrough, type Passthrough } from './passthrough.ts';
import { compareTransports } from './transport.ts';
import { embedCachePath, fillEmbedCache, NOISE_SIGMA } from './vectors.ts';
import { buildWorkloads, publicTerms, sampleIndex } from './workloads.ts';
import { buildZipfStream } from './zipf.ts';

const USAGE = 'usage: npm run bench [-- --passages N] [--out DIR] [--seconds S] [--seed S] [--concurrency 1,8,32] [--no-peers] [--reuse-index] [--keyword-only] [--nodes N] | npm run bench -- --abuse [--seconds S] [--out DIR]';

interface Options {
  passages: number;
  out: string;
  seconds: number;
  seed: number;
  concurrency: number[];
  peers: boolean;
  nodes: number | undefined;
  reuse: boolean;
  /** Only the abuse section (test/bench/abuse.ts). */
  abuse: boolean;
  /**
   * No vectors and no model: keyword indexing and the keyword workloads only. At a million
   * passages the vector build alone would take hours on two cores; this is how its keyword
   * figures are measured.
   */
  keywordOnly: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { passages: 20_000, out: path.join(ROOT, 'bench-out'), seconds: 5, seed: 1, concurrency: [1, 8, 32], peers: true, nodes: undefined, reuse: false, abuse: false, keywordOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const int = (v: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${a}: expected an integer ≥ ${min} (got ${v})\n${USAGE}`);
      return n;
    };
    if (a === '--passages') o.passages = int(value(), 1000);
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--seconds') o.seconds = int(value(), 1);
    else if (a === '--seed') o.seed = int(value(), 0);
    else if (a === '--concurrency') o.concurrency = value().split(',').map((v) => int(v, 1));
    else if (a === '--no-peers') o.peers = false;
    else if (a === '--reuse-index') o.reuse = true;
    else if (a === '--abuse') o.abuse = true;
    else if (a === '--keyword-only') o.keywordOnly = true;
    else if (a === '--nodes') o.nodes = int(value(), 1);
    else if (a === '-h' || a === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return o;
}

const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.abuse) {
    console.log(await runAbuse({ seconds: o.seconds, out: o.out, log }));
    return;
  }
  const started = performance.now();
  const work = path.join(o.out, 'work');
  const cacheDir = path.join(o.out, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const realDir = path.join(ROOT, 'data/corpus');
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, '');

  // 1. Corpus.
  log(`generating ${o.passages} passages (seed ${o.seed})`);
  let t0 = performance.now();
  const corpus = await generateCorpus({ passages: o.passages, seed: o.seed, dir: path.join(work, 'corpus') });
  const corpusSeconds = (performance.now() - t0) / 1000;
  log(`  ${corpus.notices.length} notices, ${corpus.passages} passages from ${corpus.templates} templates in ${corpusSeconds.toFixed(1)} s`);

  // 2. Indexing. With --reuse-index, the indexes (and their numbers) of an earlier run on the same
  // corpus, settings and dictionary are used as they are (the report says so).
  const keywordDir = path.join(work, 'data-keyword');
  const vectorDir = path.join(work, 'data-vectors');
  const dictHash = loadDictionary().hash;
  const signature = { passages: corpus.passages, notices: corpus.notices.length, seed: o.seed, keywordBuild: buildHash(dictHash, null), vectorBuild: buildHash(dictHash, vectorSettings) };
  const savedFile = path.join(work, 'index-results.json');
  type Saved = { signature: typeof signature; date: string; indexKeyword: IndexResult; indexVectors?: IndexResult; indexRealEmbedding?: IndexResult; realEmbedding?: Embedding };
  type Embedding = NonNullable<BenchResult['index']['realEmbedding']>['embedding'];
  const saved = o.reuse && existsSync(savedFile) ? (JSON.parse(readFileSync(savedFile, 'utf8')) as Saved) : undefined;
  // A keyword-only run can reuse any saved run's keyword index; a full run needs the vectors too.
  const reusable = saved && JSON.stringify(saved.signature) === JSON.stringify(signature) && existsSync(keywordDir) && (o.keywordOnly || (saved.indexVectors !== undefined && existsSync(vectorDir)));
  if (o.reuse && !reusable) log('--reuse-index: no index of this corpus, settings and dictionary to reuse; indexing');
  let indexKeyword: IndexResult;
  let indexVectors: IndexResult | undefined;
  let indexRealEmbedding: IndexResult | undefined;
  let realEmbedding: Embedding | undefined;
  let reusedFrom: string | undefined;
  const steps = stepSizes(o.passages);
  if (reusable) {
    log(`reusing the indexes built ${saved.date} (--reuse-index)`);
    ({ indexKeyword, indexVectors, indexRealEmbedding, realEmbedding } = saved);
    reusedFrom = saved.date;
  } else {
    // 2a. Indexing without embedding.
    rmSync(keywordDir, { recursive: true, force: true });
    log(`indexing without embedding, in steps ${steps.join(', ')}`);
    indexKeyword = await indexInSteps({ dataDir: keywordDir, corpus, realDir, steps, env: { EMBEDDINGS: 'off' }, log });
    if (o.keywordOnly) writeFileSync(savedFile, JSON.stringify({ signature, date: new Date().toISOString(), indexKeyword } satisfies Saved, null, 1));
  }
  if (!reusable && !o.keywordOnly) {

    // 2b. Real embedding speed on the real passages (and their vectors, reused for the corpus).
    log('embedding the real passages with the real model (real embedding speed)');
    const model = await ensureModel({ modelDir: MODEL_DIR, log });
    const embedder = await createEmbedder({ modelDir: model.modelDir });
    const inputs = corpus.sources.map((s) => s.input);
    await embedder.embed(inputs.slice(0, 8));
    t0 = performance.now();
    const sourceVectors = await embedder.embed(inputs);
    const embedSeconds = (performance.now() - t0) / 1000;
    await embedder.dispose();
    realEmbedding = {
      passages: inputs.length,
      meanChars: Math.round(inputs.reduce((a, s) => a + Array.from(s).length, 0) / inputs.length),
      seconds: round(embedSeconds, 1),
      passagesPerSecond: Math.round(inputs.length / embedSeconds),
    };
    log(`  ${realEmbedding.passages} passages in ${realEmbedding.seconds} s: ${realEmbedding.passagesPerSecond}/s`);

    // 2c. The real pages indexed end to end with real inference (cold embed cache).
    log('indexing data/corpus with real embedding (cold cache)');
    const realDirData = path.join(work, 'data-real-embedding');
    rmSync(realDirData, { recursive: true, force: true });
    indexRealEmbedding = await indexInSteps({
      dataDir: realDirData, corpus: { ...corpus, notices: [], files: [] }, realDir, steps: [0], env: { EMBEDDINGS: 'on', MODEL_DIR }, log,
    });
    rmSync(realDirData, { recursive: true, force: true });

    // 2d. Indexing with vectors (reused real vectors + noise, from the embed cache).
    rmSync(vectorDir, { recursive: true, force: true });
    mkdirSync(vectorDir, { recursive: true });
    log('writing reused real vectors + noise into the embed cache');
    t0 = performance.now();
    const cached = await fillEmbedCache(corpus, [realDir], sourceVectors, embedCachePath(vectorDir), o.seed);
    log(`  ${cached} vectors in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    log(`indexing with vectors, in steps ${steps.join(', ')}`);
    indexVectors = await indexInSteps({ dataDir: vectorDir, corpus, realDir, steps, env: { EMBEDDINGS: 'on', MODEL_DIR }, log });
    writeFileSync(savedFile, JSON.stringify({ signature, date: new Date().toISOString(), indexKeyword, indexVectors, indexRealEmbedding, realEmbedding } satisfies Saved, null, 1));
  }

  // 3. The API as its own process, on the data with vectors, model loaded (keyword-only: on the
  // keyword data, no model).
  const apiEnv: Record<string, string> = o.keywordOnly ? { EMBEDDINGS: 'off' } : { EMBEDDINGS: 'on', MODEL_DIR };
  log(`starting the API (npm start) on the bench data, EMBEDDINGS=${apiEnv.EMBEDDINGS}`);
  const api = await startApi({ dataDir: o.keywordOnly ? keywordDir : vectorDir, env: apiEnv, log, logFile: path.join(o.out, 'api.log') });
  const apiAfterStart = memoryOf(api.pid);
  log(`  ready in ${api.startSeconds.toFixed(1)} s; API RSS ${apiAfterStart?.rssMb} MB`);
  // Raw requests straight to Meilisearch, and the engine port over the same transport.
  const raw = createTransport({ url: api.meili.url, key: api.meili.key, timeoutMs: 120_000 });
  const engine = engineOver(raw);
  let memory: { api: Memory | null; apiAfterStart: Memory | null; meili: Memory | null } = { api: null, apiAfterStart, meili: null };
  const spec = publicTerms();
  const latency: BenchResult['latency'] = [];
  let multiRequest: string[] = [];
  let apiExactness: PeerResult['exactness'] = [];
  let sequential: BenchResult['sequential'];
  let transport: BenchResult['transport'];
  let passages: Awaited<ReturnType<typeof fetchPassages>> = [];
  const checks: string[] = [];
  const apiMemory: BenchResult['apiMemory'] = [];
  let passthrough: Passthrough | undefined;
  let zipfResult: BenchResult['zipf'];
  try {
    const sample = await sampleIndex(api.meili.url, api.meili.key);
    const built = await buildWorkloads({ meiliUrl: api.meili.url, meiliKey: api.meili.key, ...sample, embeddings: !o.keywordOnly });
    multiRequest = built.multiRequest;

    // The API and raw agree on totals (the same request, the same answer).
    for (const w of built.workloads) {
      if (!w.raw) continue;
      for (let i = 0; i < w.api.length; i++) {
        const a = (await (await fetch(api.url + w.api[i]!.path)).json()) as { total: number };
        const r = await raw.request<{ totalHits: number }>('POST', w.raw[i]!.path, JSON.parse(w.raw[i]!.body!));
        if (a.total !== r.totalHits) checks.push(`${w.name} ${decodeURIComponent(w.api[i]!.path)}: API total ${a.total} ≠ raw ${r.totalHits}`);
      }
    }

    log('Zipf query log: terms of the index, their engine requests');
    const zipf = await buildZipfStream({ meiliUrl: api.meili.url, meiliKey: api.meili.key, provinces: sample.provinces, seed: o.seed });
    log(`  ${zipf.distinct} distinct searches (${zipf.multiTerm} with two terms, ${zipf.filtered} with a province filter, ${zipf.withFacets} with facets; ${zipf.skipped} left out, ${zipf.tooBroad} too broad), ${zipf.length} draws, s = ${zipf.exponent}`);

    // The floor under any Node.js HTTP layer: the same raw requests through a bare pass-through.
    const rawByWorkload = new Map(built.workloads.flatMap((w) => (w.raw ? [[w.name, w.raw]] : [])));
    rawByWorkload.set('zipf', zipf.searches.map((x) => x.raw));
    passthrough = await startPassthrough(api.meili.url, api.meili.key, rawByWorkload, work);

    for (const w of built.workloads) {
      log(`load: ${w.name} (${w.api.length} requests round-robin)`);
      for (const req of w.api) {
        const res = await fetch(api.url + req.path);
        if (res.status !== 200) throw new Error(`${w.name}: ${req.path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
      }
      for (const c of o.concurrency) {
        const apiRes = await load(api.url, w.api, { concurrency: c, seconds: o.seconds });
        let rawRes: LoadResult | undefined;
        let passRes: LoadResult | undefined;
        if (w.raw) {
          passRes = await load(passthrough.url, passthrough.requests(w.name), { concurrency: c, seconds: o.seconds });
          rawRes = await load(api.meili.url, w.raw, { concurrency: c, seconds: o.seconds });
        }
        latency.push({ workload: w.name, description: w.description, concurrency: c, api: apiRes, raw: rawRes, passthrough: passRes });
        log(`  c=${c}: API p50 ${apiRes.p50} p99 ${apiRes.p99} ms ${apiRes.rps}/s${passRes ? ` | pass-through p50 ${passRes.p50} p99 ${passRes.p99} ms ${passRes.rps}/s` : ''}${rawRes ? ` | raw p50 ${rawRes.p50} p99 ${rawRes.p99} ms ${rawRes.rps}/s` : ''}${apiRes.errors ? ` | ${apiRes.errors} errors` : ''}`);
      }
      apiMemory.push({ after: w.name, ...memoryOf(api.pid)! });
    }

    zipfResult = await measureZipf(api.url, api.meili.url, passthrough, zipf, o.concurrency, o.seconds);

    log('exactness at the API (public eval terms)');
    passages = await fetchPassages(engine);
    apiExactness = await exactness(apiAsStack(api.url), passages, spec.terms, spec.synonyms ?? {});

    log('sequential latency (first 20 hits and the total, no facets): API and raw');
    const kw = built.workloads.find((w) => w.name === 'keyword')!;
    const byTerm = new Map(kw.api.map((a, i) => [new URL(a.path, 'http://x').searchParams.get('q')!, { api: a, raw: kw.raw![i]! }]));
    const seqTerms = spec.terms.filter((t) => byTerm.has(t));
    const rounds = 5;
    // Both through our node:http transport (fetch would add its own cost; see "transport").
    const apiClient = freshClient(api.url);
    sequential = {
      terms: seqTerms.length,
      rounds,
      api: await sequentialLatency((t) => apiClient.get(byTerm.get(t)!.api.path), seqTerms, rounds),
      raw: await sequentialLatency((t) => raw.request('POST', byTerm.get(t)!.raw.path, JSON.parse(byTerm.get(t)!.raw.body!)), seqTerms, rounds),
    };
    apiClient.close();

    log('transport: meilisearch JS client vs node:http');
    const dict = loadDictionary();
    const q = parseQuery('整改', createSynonymIndex(dict.synonyms)).engineQuery;
    transport = await compareTransports({ url: api.meili.url, key: api.meili.key, index: 'passages', term: q, label: '整改', rounds: 60 });
    memory = { api: memoryOf(api.pid), apiAfterStart, meili: memoryOf(api.meili.pid()) };
  } finally {
    passthrough?.stop();
    engine.close();
    await api.stop();
  }

  // 5. Peers on the same passages.
  const peers: PeerResult[] = [];
  if (o.peers) {
    log(`peers on the same ${passages.length} passages`);
    const peerDir = path.join(work, 'peers');
    mkdirSync(peerDir, { recursive: true });
    const makers: Array<() => Promise<Peer>> = [
      () => meiliDefaultPeer(passages, path.join(peerDir, 'meili-default'), log),
      async () => fts5Peer(passages, path.join(peerDir, 'fts5.sqlite'), log),
      async () => likePeer(passages, path.join(peerDir, 'like.sqlite'), log),
    ];
    for (const make of makers) {
      const peer = await make();
      try {
        const lat = await sequentialLatency((t) => peer.search(t, 20), spec.terms, 5);
        const ex = await exactness(peerAsStack(peer), passages, spec.terms, spec.synonyms ?? {});
        peers.push({
          name: peer.name, note: peer.note, indexSeconds: round(peer.indexSeconds, 1), passagesPerSecond: Math.round(passages.length / peer.indexSeconds),
          diskMb: peer.diskMb, memoryMb: peer.memoryMb, latency: lat, exactness: ex, mean: meanOf(ex),
        });
        log(`  ${peer.name}: p50 ${lat.p50} ms; precision ${meanOf(ex).precision}, recall ${meanOf(ex).recall}`);
      } finally {
        await peer.close();
      }
    }
  }

  // 6. Several nodes, when asked for (test/bench/nodes.ts, built separately).
  let nodes: BenchResult['nodes'];
  if (o.nodes !== undefined) {
    const file = path.join(import.meta.dirname, 'nodes.ts');
    if (!existsSync(file)) throw new Error(`--nodes needs ${path.relative(ROOT, file)}, which is not there`);
    const mod = (await import(pathToFileURL(file).href)) as { runNodes: (options: object) => Promise<{ markdown: string; json: unknown }> };
    log(`several nodes: ${o.nodes} Meilisearch nodes (test/bench/nodes.ts) on the bench corpus`);
    nodes = await mod.runNodes({ nodes: o.nodes, corpus: [realDir, corpus.dir], log });
  }

  const result: BenchResult = {
    command,
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    seconds: 0,
    options: { passages: o.passages, seed: o.seed, seconds: o.seconds, concurrency: o.concurrency, keywordOnly: o.keywordOnly },
    corpus: {
      notices: corpus.notices.length, passages: corpus.passages, templates: corpus.templates, sources: corpus.sources.length,
      traditional: corpus.notices.filter((n) => n.traditional).length, seconds: round(corpusSeconds, 1),
      places: new Set(corpus.notices.map((n) => `${n.province}/${n.city}/${n.county}`)).size,
    },
    index: {
      keyword: indexKeyword,
      vectors: indexVectors,
      realEmbedding: indexRealEmbedding && realEmbedding ? { ...indexRealEmbedding, embedding: realEmbedding } : undefined,
      noiseSigma: NOISE_SIGMA,
      reusedFrom,
    },
    api: { startSeconds: round(api.startSeconds, 1) },
    latency,
    multiRequest,
    checks,
    sequential,
    memory,
    apiMemory,
    exactness: { api: apiExactness, apiMean: meanOf(apiExactness), peers },
    transport,
    nodes,
    zipf: zipfResult,
  };
  result.seconds = Math.round((performance.now() - started) / 1000);
  const markdown = renderReport(result);
  mkdirSync(o.out, { recursive: true });
  const stamp = `${o.passages}${o.keywordOnly ? '-keyword' : ''}`;
  writeFileSync(path.join(o.out, `bench-${stamp}.md`), markdown);
  writeFileSync(path.join(o.out, `bench-${stamp}.json`), JSON.stringify(result, null, 1));
  writeFileSync(path.join(o.out, 'report.md'), markdown);
  writeFileSync(path.join(o.out, 'report.json'), JSON.stringify(result, null, 1));
  console.log(markdown);
  log(`done in ${result.seconds} s; report in ${path.relative(process.cwd(), path.join(o.out, `bench-${stamp}.md`))} (and .json)`);
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The Zipf query log at each concurrency: through the API with its cache (every search of the
 * log answered once before: the steady state of a busy search box), through the API afresh
 * (`Cache-Control: no-cache`), as 304 revalidations (If-None-Match with each answer's ETag),
 * through the bare pass-through, and raw.
 */
async function measureZipf(apiUrl: string, meiliUrl: string, passthrough: Passthrough, zipf: Awaited<ReturnType<typeof buildZipfStream>>, concurrency: number[], seconds: number): Promise<NonNullable<BenchResult['zipf']>> {
  log(`load: zipf (${zipf.distinct} distinct searches, ${zipf.length} draws)`);
  const etags: string[] = [];
  for (const s of zipf.searches) {
    const res = await fetch(apiUrl + s.api);
    if (res.status !== 200) throw new Error(`zipf: ${s.api} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
    const etag = res.headers.get('etag');
    if (!etag) throw new Error(`zipf: ${s.api} has no ETag`);
    etags.push(etag);
  }
  const pass = passthrough.requests('zipf');
  const stream = {
    cached: zipf.order.map((i): LoadRequest => ({ method: 'GET', path: zipf.searches[i]!.api })),
    uncached: zipf.order.map((i): LoadRequest => ({ method: 'GET', path: zipf.searches[i]!.api, headers: { 'cache-control': 'no-cache' } })),
    notModified: zipf.order.map((i): LoadRequest => ({ method: 'GET', path: zipf.searches[i]!.api, headers: { 'if-none-match': etags[i]! } })),
    passthrough: zipf.order.map((i) => pass[i]!),
    raw: zipf.order.map((i) => zipf.searches[i]!.raw),
  };
  const rows: NonNullable<BenchResult['zipf']>['rows'] = [];
  for (const c of concurrency) {
    const run = (url: string, reqs: LoadRequest[]) => load(url, reqs, { concurrency: c, seconds });
    const row = {
      concurrency: c,
      cached: await run(apiUrl, stream.cached),
      uncached: await run(apiUrl, stream.uncached),
      notModified: await run(apiUrl, stream.notModified),
      passthrough: await run(passthrough.url, stream.passthrough),
      raw: await run(meiliUrl, stream.raw),
    };
    rows.push(row);
    const f = (x: LoadResult) => `p50 ${x.p50} p99 ${x.p99} ms ${x.rps}/s${x.errors ? ` (${x.errors} errors)` : ''}`;
    log(`  c=${c}: cached ${f(row.cached)} | uncached ${f(row.uncached)} | 304 ${f(row.notModified)} | pass-through ${f(row.passthrough)} | raw ${f(row.raw)}`);
  }
  const { searches: _s, order: _o, ...stats } = zipf;
  return { ...stats, rows };
}

/** GETs with `Cache-Control: no-cache` over one keep-alive connection: the API's uncached path, one at a time. */
function freshClient(base: string): { get(path: string): Promise<void>; close(): void } {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    get: (p) =>
      new Promise<void>((resolve, reject) => {
        http
          .get({ agent, host: url.hostname, port: url.port, path: p, headers: { 'cache-control': 'no-cache' } }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${p} answered ${res.statusCode}`))));
          })
          .on('error', reject);
      }),
    close: () => agent.destroy(),
  };
}

export type { IndexResult };

main().catch((e: Error) => {
  console.error(`bench: ${e.stack ?? e.message}`);
  process.exit(1);
});
