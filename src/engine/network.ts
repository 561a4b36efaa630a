/**
 * Several Meilisearch nodes presented to the rest of the code as one `Engine`.
 *
 * The product places documents itself and searches through Meilisearch's network feature:
 *
 * - Placement: a document goes to one node, chosen by rendezvous hashing of its notice
 *   (`noticeId` when the document has one, else its `id`) over the node names. A notice and all
 *   its passages live on one node, so `distinct: noticeId` (group=notice) is exact on each node
 *   and the nodes' counts add up.
 * - Search: one federated `/multi-search` with one query per node (`federationOptions.remote`),
 *   sent to one of the nodes, which asks the others and merges hits, totals and facet counts.
 * - Everything else (index creation, settings, deletes by filter, swaps, document reads) is sent
 *   to every node; writes return one task id that stands for the tasks on all nodes.
 *
 * Meilisearch 1.21's own sharding (`sharding: true` in /network) is not used: it is an
 * Enterprise Edition feature (BUSL), it places documents by the hash of their own id (so a
 * notice's passages scatter and group=notice counts a notice once per node), and with a node
 * down it reports a document addition as succeeded while the down node's share is dropped.
 * See README "Scaling".
 *
 * An answer is never partial: when a node does not answer (or a remote query reports an error),
 * the request fails with a `NetworkError` that names the nodes.
 */
import { EngineError, createEngine, type Engine, type TaskStatus } from './client.ts';

export interface NetworkNode {
  /** Remote name in Meilisearch's network: letters, digits, `_` and `-`. */
  name: string;
  url: string;
  /** The node's master key (or a key with every action); absent for a node without keys. */
  key?: string | undefined;
}

/** Some nodes did not answer: no answer is given rather than a partial one. */
export class NetworkError extends EngineError {
  constructor(
    /** Names of the nodes that did not answer. */
    readonly nodes: string[],
    message: string,
  ) {
    super('ENGINE_UNAVAILABLE', message);
    this.name = 'NetworkError';
  }
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * MEILI_NETWORK → nodes. Two forms:
 *
 * - a list `name=url`, separated by commas or whitespace; every node uses `defaultKey`
 *   (MEILI_MASTER_KEY): `a=http://10.0.0.5:7700,b=http://10.0.0.6:7700`
 * - JSON, when keys differ: `[{"name":"a","url":"http://10.0.0.5:7700","key":"…"}, …]` or
 *   `{"a":{"url":"…","key":"…"}, …}`; a node without `key` uses `defaultKey`.
 *
 * Throws an Error whose message says what is wrong; config.ts names the variable.
 */
export function parseNetwork(raw: string, defaultKey?: string): NetworkNode[] {
  const text = raw.trim();
  let nodes: NetworkNode[];
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`not valid JSON (${(e as Error).message})`);
    }
    const entries: Array<[string | undefined, unknown]> = Array.isArray(parsed)
      ? parsed.map((v) => [undefined, v])
      : Object.entries(parsed as Record<string, unknown>);
    nodes = entries.map(([name, v], i) => {
      const o = (v ?? {}) as { name?: unknown; url?: unknown; key?: unknown };
      const n = name ?? o.name;
      if (typeof n !== 'string') throw new Error(`node ${i + 1}: "name" must be a string`);
      if (typeof o.url !== 'string') throw new Error(`node ${n}: "url" must be a string`);
      if (o.key !== undefined && typeof o.key !== 'string') throw new Error(`node ${n}: "key" must be a string`);
      return { name: n, url: o.url, key: (o.key as string | undefined) ?? defaultKey };
    });
  } else {
    nodes = text.split(/[\s,]+/).filter(Boolean).map((entry) => {
      const eq = entry.indexOf('=');
      if (eq <= 0) throw new Error(`${JSON.stringify(entry)}: expected name=url`);
      return { name: entry.slice(0, eq), url: entry.slice(eq + 1), key: defaultKey };
    });
  }
  if (nodes.length === 0) throw new Error('no nodes');
  const seen = new Set<string>();
  for (const n of nodes) {
    if (!NAME.test(n.name)) throw new Error(`node name ${JSON.stringify(n.name)}: letters, digits, _ and - only`);
    if (seen.has(n.name)) throw new Error(`node name ${n.name} appears twice`);
    seen.add(n.name);
    if (!/^https?:\/\/[^/]/.test(n.url)) throw new Error(`node ${n.name}: url must start with http:// or https:// (got ${JSON.stringify(n.url)})`);
    n.url = n.url.replace(/\/$/, '');
  }
  return nodes;
}

/** 32-bit FNV-1a with a murmur finalizer: fast, stable across versions, well spread. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The node that holds a shard key: the name with the highest hash of (name, key) (rendezvous
 * hashing). Depends only on the set of names, not on their order in MEILI_NETWORK.
 */
export function placeOf(shardKey: string, names: readonly string[]): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < names.length; i++) {
    const score = hash32(`${names[i]}\u0000${shardKey}`);
    if (score > bestScore || (score === bestScore && names[i]! < names[best]!)) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** Documents of one notice stay together: a passage goes where its notice goes. */
function shardKeyOf(doc: Record<string, unknown>): string {
  const k = doc.noticeId ?? doc.id;
  return typeof k === 'string' || typeof k === 'number' ? String(k) : JSON.stringify(k);
}

export interface NetworkEngine extends Engine {
  readonly nodes: readonly NetworkNode[];
  /**
   * Which set of nodes documents were placed for (the sorted names). Documents placed for
   * another set are on the wrong nodes: index runs fold this into the build hash and rebuild.
   */
  readonly layout: string;
  /** The engine of one node (for tests and the bench). */
  node(name: string): Engine;
}

export interface NetworkOptions {
  nodes: NetworkNode[];
  /** Per-request timeout in ms, per node. */
  timeoutMs?: number;
  /** Largest number of values per facet in a merged facet distribution (the index setting). */
  maxValuesPerFacet?: number;
  log?: (message: string) => void;
}

interface Part {
  node: number;
  taskUid: number;
}

interface SearchBody extends Record<string, unknown> {
  q?: string;
  page?: number;
  hitsPerPage?: number;
  limit?: number;
  offset?: number;
  facets?: string[];
  distinct?: string;
}

interface FederatedResult {
  hits: Array<Record<string, unknown>>;
  processingTimeMs: number;
  estimatedTotalHits: number;
  facetDistribution?: Record<string, Record<string, number>>;
  facetStats?: Record<string, unknown>;
  remoteErrors?: Record<string, { message: string; code: string }>;
}

const DEFAULTS = { timeoutMs: 30_000, maxValuesPerFacet: 5_000, log: (m: string) => console.error(m) };

/** Composite task ids are counted from here, far above any node's own task ids. */
const TASK_BASE = 2 ** 40;

/**
 * @example
 * const engine = createNetworkEngine({ nodes: parseNetwork('a=http://127.0.0.1:7701,b=http://127.0.0.1:7702', key) });
 * await configureNetwork(engine);
 * await engine.request('POST', '/indexes/passages/search', { q: '…', page: 1, hitsPerPage: 20, facets: ['province'] });
 */
export function createNetworkEngine(options: NetworkOptions): NetworkEngine {
  const opts = { ...DEFAULTS, ...options } satisfies Required<NetworkOptions>;
  const nodes = opts.nodes.map((n) => ({ ...n }));
  const names = nodes.map((n) => n.name);
  const engines = nodes.map((n) => createEngine({ url: n.url, key: n.key, timeoutMs: opts.timeoutMs }));
  const layout = [...names].sort().join(',');
  const composite = new Map<number, Part[]>();
  let nextTask = TASK_BASE;
  let turn = 0;

  /** Runs `job` on the given nodes; throws NetworkError naming every node that did not answer. */
  async function onNodes<T>(which: readonly number[], job: (e: Engine, i: number) => Promise<T>): Promise<T[]> {
    const settled = await Promise.allSettled(which.map((i) => job(engines[i]!, i)));
    const down: string[] = [];
    let rejected: unknown;
    settled.forEach((s, k) => {
      if (s.status === 'fulfilled') return;
      const e = s.reason;
      if (e instanceof NetworkError) down.push(...e.nodes);
      else if (e instanceof EngineError && e.code === 'ENGINE_UNAVAILABLE') down.push(names[which[k]!]!);
      else rejected ??= e;
    });
    if (down.length) throw unavailable([...new Set(down)]);
    if (rejected) throw rejected;
    return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
  }
  const all = <T>(job: (e: Engine, i: number) => Promise<T>) => onNodes(names.map((_, i) => i), job);

  function unavailable(down: string[], detail = 'did not answer'): NetworkError {
    const list = down.map((n) => `${n} (${nodes[names.indexOf(n)]?.url ?? '?'})`).join(', ');
    opts.log(`meilisearch network: node${down.length > 1 ? 's' : ''} ${list} ${detail}`);
    return new NetworkError(down, `search engine node${down.length > 1 ? 's' : ''} ${down.join(', ')} ${detail}; an answer without ${down.length > 1 ? 'them' : 'it'} would be incomplete`);
  }

  function task(parts: Part[]): { taskUid: number } {
    const uid = nextTask++;
    composite.set(uid, parts);
    // Tasks nobody waits for must not pile up.
    if (composite.size > 10_000) composite.delete(composite.keys().next().value!);
    return { taskUid: uid };
  }

  async function enqueue(which: readonly number[], method: string, path: string, body: (i: number) => unknown): Promise<{ taskUid: number }> {
    const tasks = await onNodes(which, (e, i) => e.request<{ taskUid: number }>(method, path, body(i)));
    return task(tasks.map((t, k) => ({ node: which[k]!, taskUid: t.taskUid })));
  }

  async function wait(t: { taskUid: number } | number, timeoutMs?: number): Promise<TaskStatus> {
    const uid = typeof t === 'number' ? t : t.taskUid;
    const parts = composite.get(uid);
    if (!parts) throw new EngineError('ENGINE_REJECTED', `task ${uid} was not enqueued through this network engine`, 404);
    const statuses = await onNodes(parts.map((p) => p.node), (e, i) => e.wait(parts.find((p) => p.node === i)!.taskUid, timeoutMs).catch((err: unknown) => {
      if (err instanceof EngineError && err.code === 'ENGINE_TASK_FAILED') throw new EngineError('ENGINE_TASK_FAILED', `node ${names[i]}: ${err.message}`, err.status, err.engineCode);
      throw err;
    }));
    composite.delete(uid);
    return statuses[0] ?? { uid, status: 'succeeded', type: 'none' };
  }

  async function taskStatus(uid: number): Promise<TaskStatus> {
    const parts = composite.get(uid);
    if (!parts) throw new EngineError('ENGINE_REJECTED', `task ${uid} was not enqueued through this network engine`, 404);
    const statuses = await onNodes(parts.map((p) => p.node), (e, i) => e.request<TaskStatus>('GET', `/tasks/${parts.find((p) => p.node === i)!.taskUid}`));
    const failed = statuses.find((s) => s.status === 'failed' || s.status === 'canceled');
    const status = failed?.status ?? (statuses.every((s) => s.status === 'succeeded') ? 'succeeded' : statuses.some((s) => s.status !== 'enqueued') ? 'processing' : 'enqueued');
    return { ...(failed ?? statuses[0]!), uid, status };
  }

  /** The node that coordinates a federated search: each in turn, to share the merging work. */
  function coordinator(): number {
    turn = (turn + 1) % engines.length;
    return turn;
  }

  function checkRemoteErrors(res: FederatedResult): void {
    const errors = Object.entries(res.remoteErrors ?? {});
    if (errors.length === 0) return;
    // A query the remote refused (bad filter, missing index) is the caller's error, as on one node.
    const refused = errors.find(([, e]) => !e.code.startsWith('remote_'));
    if (refused) {
      const [name, e] = refused;
      throw new EngineError('ENGINE_REJECTED', `node ${name}: ${e.message}`, e.code === 'index_not_found' ? 404 : 400, e.code);
    }
    throw unavailable(errors.map(([name]) => name), `did not answer (${errors.map(([n, e]) => `${n}: ${e.code}`).join(', ')})`);
  }

  async function federated(uid: string, query: Record<string, unknown>, federation: Record<string, unknown>): Promise<FederatedResult> {
    const c = coordinator();
    const queries = names.map((name) => ({ indexUid: uid, ...query, federationOptions: { remote: name } }));
    const [res] = await onNodes([c], (e) => e.request<FederatedResult>('POST', '/multi-search', { federation, queries }));
    checkRemoteErrors(res!);
    return res!;
  }

  function sumFacets(parts: Array<Record<string, Record<string, number>> | undefined>): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const part of parts) {
      for (const [facet, values] of Object.entries(part ?? {})) {
        const into = (out[facet] ??= {});
        for (const [v, n] of Object.entries(values)) into[v] = (into[v] ?? 0) + n;
      }
    }
    for (const facet of Object.keys(out)) {
      const sorted = Object.entries(out[facet]!).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      out[facet] = Object.fromEntries(sorted.slice(0, opts.maxValuesPerFacet));
    }
    return out;
  }

  /**
   * One index's search as on one node. page/hitsPerPage (exact counts) become federation
   * offset/limit: a federated search counts every candidate of every node, and the facet counts
   * are merged by Meilisearch. With `distinct`, a node stops removing duplicates once it has
   * enough hits, so exact counts are asked of each node directly and added up (a notice is on
   * one node only, so nothing is counted twice).
   */
  async function search(uid: string, body: SearchBody): Promise<Record<string, unknown>> {
    const { page, hitsPerPage, limit, offset, facets, ...query } = body;
    const paged = page !== undefined || hitsPerPage !== undefined;
    const size = paged ? (hitsPerPage ?? 20) : (limit ?? 20);
    const from = paged ? Math.max(0, (page ?? 1) - 1) * size : (offset ?? 0);
    const exactDistinct = paged && query.distinct !== undefined;
    const federation: Record<string, unknown> = { limit: size, offset: from };
    if (facets?.length && !exactDistinct) {
      federation.facetsByIndex = { [uid]: facets };
      federation.mergeFacets = { maxValuesPerFacet: opts.maxValuesPerFacet };
    }
    const counting = exactDistinct
      ? all((e) => e.request<{ totalHits: number; facetDistribution?: Record<string, Record<string, number>> }>('POST', `/indexes/${uid}/search`, {
          ...query, facets, page: 1, hitsPerPage: 1, attributesToRetrieve: ['id'], showRankingScore: false,
        }))
      : undefined;
    const [res, counts] = await Promise.all([federated(uid, query, federation), counting]);
    const hits = res.hits.map(({ _federation, ...h }) => h);
    const total = counts ? counts.reduce((s, c) => s + c.totalHits, 0) : res.estimatedTotalHits;
    const facetDistribution = counts ? (facets?.length ? sumFacets(counts.map((c) => c.facetDistribution)) : undefined) : res.facetDistribution;
    const out: Record<string, unknown> = { hits, query: query.q ?? '', processingTimeMs: res.processingTimeMs };
    if (paged) Object.assign(out, { hitsPerPage: size, page: page ?? 1, totalPages: size ? Math.ceil(total / size) : 0, totalHits: total });
    else Object.assign(out, { limit: size, offset: from, estimatedTotalHits: total });
    if (facets?.length) Object.assign(out, { facetDistribution: facetDistribution ?? {}, facetStats: res.facetStats ?? {} });
    return out;
  }

  /** documents/fetch over all nodes: node after node, offset and limit over the whole. */
  async function fetchDocuments(uid: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { offset = 0, limit = 20, ...rest } = body as { offset?: number; limit?: number };
    const path = `/indexes/${uid}/documents/fetch`;
    const totals = await all((e) => e.request<{ total: number }>('POST', path, { ...rest, offset: 0, limit: 0 }).then((r) => r.total));
    const wanted: Array<{ node: number; offset: number; limit: number }> = [];
    let start = 0;
    for (const [i, total] of totals.entries()) {
      const lo = Math.max(offset, start);
      const hi = Math.min(offset + limit, start + total);
      if (hi > lo) wanted.push({ node: i, offset: lo - start, limit: hi - lo });
      start += total;
    }
    const pages = await onNodes(wanted.map((w) => w.node), (e, i) => {
      const w = wanted.find((x) => x.node === i)!;
      return e.request<{ results: unknown[] }>('POST', path, { ...rest, offset: w.offset, limit: w.limit });
    });
    return { results: pages.flatMap((p) => p.results), offset, limit, total: start };
  }

  /** A document by id: asked of every node (passages are placed by notice, not by their own id). */
  async function getDocument(path: string): Promise<unknown> {
    const found = await all((e) => e.request<unknown>('GET', path).catch((err: unknown) => {
      if (err instanceof EngineError && err.status === 404) return undefined;
      throw err;
    }));
    const doc = found.find((d) => d !== undefined);
    if (doc === undefined) throw new EngineError('ENGINE_REJECTED', `search engine answered 404 to GET ${path}: not found on any node`, 404, 'document_not_found');
    return doc;
  }

  /** Where an index exists. An index found on some nodes only is created on the others. */
  async function indexInfo(uid: string): Promise<unknown> {
    const infos = await all((e) => e.request<{ uid: string; primaryKey: string | null }>('GET', `/indexes/${uid}`).catch((err: unknown) => {
      if (err instanceof EngineError && err.status === 404) return undefined;
      throw err;
    }));
    const some = infos.find((x) => x !== undefined);
    if (!some) throw new EngineError('ENGINE_REJECTED', `search engine answered 404 to GET /indexes/${uid}: index not found on any node`, 404, 'index_not_found');
    const missing = infos.flatMap((x, i) => (x === undefined ? [i] : []));
    if (missing.length) {
      opts.log(`meilisearch network: index ${uid} missing on ${missing.map((i) => names[i]).join(', ')}; creating it there`);
      await wait(await enqueue(missing, 'POST', '/indexes', () => ({ uid, primaryKey: some.primaryKey })));
    }
    return some;
  }

  async function createIndex(body: { uid: string; primaryKey?: string }): Promise<{ taskUid: number }> {
    const present = await all((e) => e.request('GET', `/indexes/${body.uid}`).then(() => true, (err: unknown) => {
      if (err instanceof EngineError && err.status === 404) return false;
      throw err;
    }));
    return enqueue(present.flatMap((p, i) => (p ? [] : [i])), 'POST', '/indexes', () => body);
  }

  async function deleteIndex(uid: string): Promise<{ taskUid: number }> {
    const present = await all((e) => e.request('GET', `/indexes/${uid}`).then(() => true, (err: unknown) => {
      if (err instanceof EngineError && err.status === 404) return false;
      throw err;
    }));
    return enqueue(present.flatMap((p, i) => (p ? [i] : [])), 'DELETE', `/indexes/${uid}`, () => undefined);
  }

  async function addDocuments(path: string, docs: Array<Record<string, unknown>>): Promise<{ taskUid: number }> {
    const split: Array<Array<Record<string, unknown>>> = names.map(() => []);
    for (const d of docs) split[placeOf(shardKeyOf(d), names)]!.push(d);
    const which = split.flatMap((s, i) => (s.length ? [i] : []));
    return enqueue(which, 'POST', path, (i) => split[i]);
  }

  const everyNode = names.map((_, i) => i);

  /**
   * Swaps on every node or on none: when a node cannot take the swap, the nodes that took it swap
   * back, so that no node is left serving the other build. (Across nodes the swap is not one
   * instant: for the few milliseconds between nodes, a search may see new on one, old on another.)
   */
  async function swap(pairs: unknown): Promise<{ taskUid: number }> {
    const settled = await Promise.allSettled(engines.map((e) => e.request<{ taskUid: number }>('POST', '/swap-indexes', pairs)));
    if (settled.every((x) => x.status === 'fulfilled')) {
      return task(settled.map((x, i) => ({ node: i, taskUid: (x as PromiseFulfilledResult<{ taskUid: number }>).value.taskUid })));
    }
    const took = settled.flatMap((x, i) => (x.status === 'fulfilled' ? [{ node: i, taskUid: x.value.taskUid }] : []));
    await onNodes(took.map((t) => t.node), async (e, i) => {
      await e.wait(took.find((t) => t.node === i)!.taskUid);
      await e.wait(await e.request<{ taskUid: number }>('POST', '/swap-indexes', pairs));
    });
    const failed = settled.flatMap((x, i) => (x.status === 'rejected' ? [{ node: i, reason: x.reason as unknown }] : []));
    const down = failed.filter((f) => f.reason instanceof EngineError && f.reason.code === 'ENGINE_UNAVAILABLE').map((f) => names[f.node]!);
    if (down.length) throw unavailable(down, 'did not take the index swap (the other nodes swapped back)');
    throw failed[0]!.reason;
  }

  async function request<T>(method: string, rawPath: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const path = rawPath.split('?')[0]!;
    let m: RegExpMatchArray | null;
    const route = `${method} ${path}`;
    if (route === 'GET /health') {
      await all((e) => e.request('GET', '/health', undefined, timeoutMs ?? 5_000));
      return { status: 'available' } as T;
    }
    if (route === 'GET /version') return (await all((e) => e.request<T>('GET', '/version', undefined, timeoutMs)))[0]!;
    if ((m = route.match(/^GET \/tasks\/(\d+)$/))) return (await taskStatus(Number(m[1]))) as T;
    if (route === 'POST /indexes') return (await createIndex(body as { uid: string })) as T;
    if (route === 'POST /swap-indexes') return (await swap(body)) as T;
    if (route === 'POST /multi-search') {
      const b = body as { federation?: unknown; queries: Array<SearchBody & { indexUid: string }> };
      if (b.federation) throw new EngineError('ENGINE_REJECTED', 'a federated multi-search is not supported across MEILI_NETWORK; send the queries one by one', 501);
      return { results: await Promise.all(b.queries.map(({ indexUid, ...q }) => search(indexUid, q).then((r) => ({ indexUid, ...r })))) } as T;
    }
    if ((m = path.match(/^\/indexes\/([^/]+)(\/.*)?$/))) {
      const uid = m[1]!;
      const rest = m[2] ?? '';
      if (method === 'GET' && rest === '') return (await indexInfo(uid)) as T;
      if (method === 'DELETE' && rest === '') return (await deleteIndex(uid)) as T;
      if (rest === '/search' && method === 'POST') return (await search(uid, body as SearchBody)) as T;
      if (rest === '/documents/fetch' && method === 'POST') return (await fetchDocuments(uid, body as Record<string, unknown>)) as T;
      if (rest === '/documents' && (method === 'POST' || method === 'PUT') && Array.isArray(body)) return (await addDocuments(rawPath, body)) as T;
      if ((rest === '/documents/delete' || rest === '/documents/delete-batch') && method === 'POST') return (await enqueue(everyNode, method, rawPath, () => body)) as T;
      if (rest === '/documents' && method === 'DELETE') return (await enqueue(everyNode, method, rawPath, () => body)) as T;
      if (rest.startsWith('/documents/') && method === 'GET') return (await getDocument(rawPath)) as T;
      if (rest.startsWith('/settings') && method === 'GET') return (await all((e) => e.request<T>('GET', rawPath)))[0]!;
      if (rest.startsWith('/settings') && (method === 'PATCH' || method === 'PUT' || method === 'DELETE')) return (await enqueue(everyNode, method, rawPath, () => body)) as T;
      if (rest === '/stats' && method === 'GET') {
        const stats = await all((e) => e.request<{ numberOfDocuments: number; isIndexing: boolean }>('GET', rawPath, undefined, timeoutMs));
        return { numberOfDocuments: stats.reduce((s, x) => s + x.numberOfDocuments, 0), isIndexing: stats.some((x) => x.isIndexing), nodes: Object.fromEntries(stats.map((s, i) => [names[i], s])) } as T;
      }
    }
    throw new EngineError('ENGINE_REJECTED', `${method} ${path} is not supported across MEILI_NETWORK (several nodes)`, 501);
  }

  return {
    url: `network:${names.join(',')}`,
    nodes,
    layout,
    node: (name) => {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`no node ${name}`);
      return engines[i]!;
    },
    request: (method, path, body, timeoutMs) => request(method, path, body, timeoutMs),
    wait,
    close: () => engines.forEach((e) => e.close()),
  };
}

/**
 * Joins the nodes with Meilisearch's network feature: turns the `network` experimental feature
 * on and tells each node its own name and how to reach the others (with a search-only key).
 * Remotes it knew that are no longer named are removed; Meilisearch's own sharding is off.
 */
export async function configureNetwork(engine: NetworkEngine): Promise<void> {
  const down: string[] = [];
  await Promise.all(engine.nodes.map((n) => engine.node(n.name).request('GET', '/health', undefined, 5_000).catch(() => down.push(n.name))));
  if (down.length) {
    throw new NetworkError(down, `MEILI_NETWORK: node${down.length > 1 ? 's' : ''} ${down.map((d) => `${d} (${engine.nodes.find((n) => n.name === d)!.url})`).join(', ')} did not answer`);
  }
  // Each node reaches the others with a search-only key of theirs, not with their master key.
  const searchKeys = await Promise.all(engine.nodes.map((n) => (n.key ? searchKey(engine.node(n.name)) : Promise.resolve(null))));
  const remotes = Object.fromEntries(engine.nodes.map((n, i) => [n.name, { url: n.url, searchApiKey: searchKeys[i] }]));
  for (const n of engine.nodes) {
    const e = engine.node(n.name);
    await e.request('PATCH', '/experimental-features', { network: true });
    const current = await e.request<{ remotes?: Record<string, unknown>; sharding?: boolean }>('GET', '/network');
    const stale = Object.keys(current.remotes ?? {}).filter((r) => !(r in remotes));
    const update: Record<string, unknown> = { self: n.name, remotes: { ...remotes, ...Object.fromEntries(stale.map((r) => [r, null])) } };
    if (current.sharding) update.sharding = false;
    await e.request('PATCH', '/network', update);
  }
}

/** Fixed, so that every start finds the key it made before instead of making another. */
const SEARCH_KEY_UID = '3f0b8a52-6c1e-4d7a-9b2e-5a4c1d8e7f60';

/** The node's search-only key for its peers (made on first use). */
async function searchKey(node: Engine): Promise<string> {
  try {
    return (await node.request<{ key: string }>('GET', `/keys/${SEARCH_KEY_UID}`)).key;
  } catch (e) {
    if (!(e instanceof EngineError && e.status === 404)) throw e;
  }
  const made = await node.request<{ key: string }>('POST', '/keys', {
    uid: SEARCH_KEY_UID,
    name: 'notice-search network',
    description: 'Used by the other nodes of MEILI_NETWORK for federated searches',
    actions: ['search'],
    indexes: ['*'],
    expiresAt: null,
  });
  return made.key;
}

/** Network engine over `nodes`, joined and checked; throws NetworkError if a node is down. */
export async function openNetwork(options: NetworkOptions): Promise<NetworkEngine> {
  const engine = createNetworkEngine(options);
  try {
    await configureNetwork(engine);
  } catch (e) {
    engine.close();
    throw e;
  }
  return engine;
}
