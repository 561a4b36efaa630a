/**
 * The transport: the `meilisearch` JS client (fetch, i.e. undici) against our node:http
 * keep-alive transport (src/engine/client.ts), the same search request sent one at a time, in
 * alternating rounds so both see the same engine state. Shapes go from a tiny answer to a big
 * one (100 hits with text, six facets), because that is where the difference grows.
 *
 * To tell the client's own cost from fetch's, the same requests are also sent with bare `fetch`
 * (keep-alive, body read with `.text()`), and with the JS client given our transport as its
 * `httpClient` (an option the client has).
 */
import { Meilisearch } from 'meilisearch';
import { createTransport } from '../../src/engine/client.ts';
import { FACETS } from '../../src/filter.ts';
import { percentile } from './load.ts';

export interface TransportShape {
  name: string;
  body: Record<string, unknown>;
  /** Response size, bytes. */
  bytes: number;
  /** Meilisearch's own processing time (processingTimeMs), median. */
  engineMs: number;
  nodeHttp: { p50: number; mean: number };
  fetch: { p50: number; mean: number };
  jsClient: { p50: number; mean: number };
  jsClientOverNodeHttp: { p50: number; mean: number };
}

/** Where fetch's time goes: the same big answer asked for with and without a request body. */
export interface TransportDiagnosis {
  /** fetch, POST /search with a JSON body, 20 hits with text. */
  fetchPostBig: number;
  /** fetch, GET /documents?limit=20 (no request body), an answer of about the same size. */
  fetchGetBig: number;
  /** fetch, POST /search with a JSON body, 1 hit (an answer that fits one segment). */
  fetchPostSmall: number;
  /** node:http (ours), POST /search with the body in the same write as the headers, 20 hits. */
  nodeHttpPostBig: number;
  bigBytes: number;
  getBigBytes: number;
}

export interface TransportResult {
  index: string;
  /** The term searched (its engine query is what is sent). */
  label: string;
  documents: number;
  rounds: number;
  shapes: TransportShape[];
  diagnosis: TransportDiagnosis;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export async function compareTransports(options: { url: string; key: string; index: string; term: string; label: string; rounds: number }): Promise<TransportResult> {
  const { url, key, index, rounds } = options;
  const engine = createTransport({ url, key });
  const client = new Meilisearch({ host: url, apiKey: key });
  // The JS client, its requests carried by our transport instead of fetch.
  const bridged = new Meilisearch({
    host: url,
    apiKey: key,
    httpClient: async (input: RequestInfo | URL, init?: RequestInit) => {
      const u = new URL(String(input));
      return engine.request(init?.method ?? 'GET', u.pathname + u.search, init?.body ? JSON.parse(String(init.body)) : undefined);
    },
  });
  const q = options.term;
  const shapes: Array<{ name: string; body: Record<string, unknown> }> = [
    { name: '1 hit, id only', body: { q, limit: 1, attributesToRetrieve: ['id'] } },
    { name: '20 hits with text', body: { q, limit: 20, attributesToRetrieve: ['id', 'text', 'title', 'headingPath'] } },
    { name: '20 hits with text + 6 facets', body: { q, limit: 20, attributesToRetrieve: ['id', 'text', 'title', 'headingPath'], facets: [...FACETS] } },
    { name: '100 hits with text + 6 facets', body: { q, limit: 100, attributesToRetrieve: ['id', 'text', 'title', 'headingPath'], facets: [...FACETS] } },
  ];
  const documents = (await engine.request<{ numberOfDocuments: number }>('GET', `/indexes/${index}/stats`)).numberOfDocuments;
  const path = `/indexes/${index}/search`;
  const out: TransportShape[] = [];
  for (const shape of shapes) {
    const { q: query, ...params } = shape.body as { q: string };
    const senders = {
      nodeHttp: () => engine.request<{ processingTimeMs: number }>('POST', path, shape.body),
      fetch: async () => {
        const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(shape.body) });
        return JSON.parse(await res.text()) as { processingTimeMs: number };
      },
      jsClient: () => client.index(index).search(query, params) as Promise<{ processingTimeMs: number }>,
      jsClientOverNodeHttp: () => bridged.index(index).search(query, params) as Promise<{ processingTimeMs: number }>,
    };
    const times: Record<keyof typeof senders, number[]> = { nodeHttp: [], fetch: [], jsClient: [], jsClientOverNodeHttp: [] };
    const engineMs: number[] = [];
    let bytes = 0;
    for (const send of Object.values(senders)) for (let i = 0; i < 5; i++) await send(); // warm every connection
    for (let r = 0; r < rounds; r++) {
      for (const [name, send] of Object.entries(senders) as Array<[keyof typeof senders, () => Promise<{ processingTimeMs: number }>]>) {
        const t0 = performance.now();
        const res = await send();
        times[name].push(performance.now() - t0);
        if (name === 'nodeHttp') {
          engineMs.push(res.processingTimeMs);
          if (r === 0) bytes = Buffer.byteLength(JSON.stringify(res));
        }
      }
    }
    const stat = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: r2(percentile(s, 50)), mean: r2(s.reduce((a, b) => a + b, 0) / s.length) };
    };
    engineMs.sort((a, b) => a - b);
    out.push({
      name: shape.name,
      body: shape.body,
      bytes,
      engineMs: percentile(engineMs, 50),
      nodeHttp: stat(times.nodeHttp),
      fetch: stat(times.fetch),
      jsClient: stat(times.jsClient),
      jsClientOverNodeHttp: stat(times.jsClientOverNodeHttp),
    });
  }
  // Diagnosis: p50 of a few requests each.
  const p50Of = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await f();
    const ts: number[] = [];
    for (let i = 0; i < 21; i++) {
      const t0 = performance.now();
      await f();
      ts.push(performance.now() - t0);
    }
    ts.sort((a, b) => a - b);
    return r2(percentile(ts, 50));
  };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const big = { q, limit: 20, attributesToRetrieve: ['id', 'text'] };
  const small = { q, limit: 1, attributesToRetrieve: ['id'] };
  const getPath = `/indexes/${index}/documents?limit=20&fields=id,text`;
  const diagnosis: TransportDiagnosis = {
    fetchPostBig: await p50Of(async () => (await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(big) })).text()),
    fetchGetBig: await p50Of(async () => (await fetch(url + getPath, { headers })).text()),
    fetchPostSmall: await p50Of(async () => (await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(small) })).text()),
    nodeHttpPostBig: await p50Of(() => engine.request('POST', path, big)),
    bigBytes: Buffer.byteLength(JSON.stringify(await engine.request('POST', path, big))),
    getBigBytes: Buffer.byteLength(JSON.stringify(await engine.request('GET', getPath))),
  };
  engine.close();
  return { diagnosis, index, label: options.label, documents, rounds, shapes: out };
}
