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
 * See docs/scaling.md.
 *
 * An answer is never partial: when a node does not answer (or a remote query reports an error),
 * the request fails with a `NetworkError` that names the nodes.
 */
import { createTransport, engineOver, fieldOf, orUndefined, type Transport } from './client.ts';
import { createFanout, NetworkError } from './fanout.ts';
import { createFederation } from './federation.ts';
import { placeDocuments } from './placement.ts';
import type { Doc, Engine, Index, IndexStats, MultiSearchQuery, SearchResult } from './port.ts';
import { swapEverywhere } from './swap.ts';
import { createCompositeTasks } from './tasks.ts';

export { NetworkError } from './fanout.ts';

export interface NetworkNode {
  /** Remote name in Meilisearch's network: letters, digits, `_` and `-`. */
  name: string;
  url: string;
  /** The node's master key (or a key with every action); absent for a node without keys. */
  key?: string | undefined;
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
      throw new Error(`not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    const entries: Array<[string | undefined, unknown]> = Array.isArray(parsed)
      ? parsed.map((v) => [undefined, v])
      : Object.entries(typeof parsed === 'object' && parsed !== null ? parsed : {});
    nodes = entries.map(([name, v], i) => {
      const n = name ?? fieldOf(v, 'name');
      const url = fieldOf(v, 'url');
      const key = fieldOf(v, 'key');
      if (typeof n !== 'string') throw new Error(`node ${i + 1}: "name" must be a string`);
      if (typeof url !== 'string') throw new Error(`node ${n}: "url" must be a string`);
      if (key !== undefined && typeof key !== 'string') throw new Error(`node ${n}: "key" must be a string`);
      return { name: n, url, key: key ?? defaultKey };
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

const DEFAULTS = { timeoutMs: 30_000, maxValuesPerFacet: 5_000, log: (m: string) => console.error(m) };

/**
 * The port over several nodes, assembled from placement (placement.ts), fan-out with whole-or-no
 * answers (fanout.ts), composite task ids (tasks.ts), federated search (federation.ts) and
 * all-or-none swaps (swap.ts).
 *
 * @example
 * const engine = await openNetwork({ nodes: parseNetwork('a=http://127.0.0.1:7701,b=http://127.0.0.1:7702', key) });
 * await engine.index<PassageDoc>('passages').search({ q: '…', page: 1, hitsPerPage: 20, facets: ['province'] });
 */
export function createNetworkEngine(options: NetworkOptions, transports?: readonly Transport[]): NetworkEngine {
  const opts = { ...DEFAULTS, ...options } satisfies Required<NetworkOptions>;
  const nodes = opts.nodes.map((n) => ({ ...n }));
  const names = nodes.map((n) => n.name);
  const wires = transports ?? nodes.map((n) => createTransport({ url: n.url, key: n.key, timeoutMs: opts.timeoutMs }));
  const engines = wires.map(engineOver);
  const fanout = createFanout(nodes, engines, opts.log);
  const tasks = createCompositeTasks(fanout);
  const federation = createFederation({ fanout, transports: wires, maxValuesPerFacet: opts.maxValuesPerFacet });
  const present = (uid: string) => fanout.all((e) => e.index(uid).info().then((info) => info !== undefined));
  const where = (flags: readonly boolean[], value: boolean) => flags.flatMap((f, i) => (f === value ? [i] : []));

  function index<D extends Doc>(uid: string): Index<D> {
    const on = (e: Engine) => e.index<D>(uid);
    return {
      uid,
      search: (query) => federation.search(uid, query),
      /** Asked of every node: passages are placed by notice, not by their own id. */
      async getDocument(id, options) {
        const found = await fanout.all((e) => on(e).getDocument(id, options));
        return found.find((d) => d !== undefined);
      },
      /** Node after node: offset and limit over the whole. */
      async fetchDocuments(query) {
        const { offset = 0, limit = 20, ...rest } = query;
        const totals = await fanout.all((e) => on(e).fetchDocuments({ ...rest, offset: 0, limit: 0 }).then((r) => r.total));
        const wanted = new Map<number, { offset: number; limit: number }>();
        let start = 0;
        for (const [i, total] of totals.entries()) {
          const lo = Math.max(offset, start);
          const hi = Math.min(offset + limit, start + total);
          if (hi > lo) wanted.set(i, { offset: lo - start, limit: hi - lo });
          start += total;
        }
        const pages = await fanout.on([...wanted.keys()], (e, i) => on(e).fetchDocuments({ ...rest, ...wanted.get(i)! }));
        return { results: pages.flatMap((p) => p.results), offset, limit, total: start };
      },
      addDocuments(docs) {
        const split = placeDocuments(docs, names);
        return tasks.enqueue(split.flatMap((s, i) => (s.length ? [i] : [])), (e, i) => on(e).addDocuments(split[i]!));
      },
      deleteByFilter: (filter) => tasks.enqueue(fanout.every, (e) => on(e).deleteByFilter(filter)),
      deleteDocuments: (ids) => tasks.enqueue(fanout.every, (e) => on(e).deleteDocuments(ids)),
      updateSettings: (settings) => tasks.enqueue(fanout.every, (e) => on(e).updateSettings(settings)),
      async stats(timeoutMs) {
        const stats = await fanout.all((e) => on(e).stats(timeoutMs));
        if (stats.every((s) => s === undefined)) return undefined;
        const each = stats.map((s): IndexStats => s ?? { numberOfDocuments: 0, isIndexing: false });
        return {
          numberOfDocuments: each.reduce((n, s) => n + s.numberOfDocuments, 0),
          numberOfEmbeddedDocuments: each.reduce((n, s) => n + (s.numberOfEmbeddedDocuments ?? 0), 0),
          isIndexing: each.some((s) => s.isIndexing),
          nodes: Object.fromEntries(each.map((s, i) => [names[i]!, s])),
        };
      },
      /** Where an index exists. An index found on some nodes only is created on the others. */
      async info() {
        const infos = await fanout.all((e) => on(e).info());
        const some = infos.find((x) => x !== undefined);
        if (!some) return undefined;
        const missing = infos.flatMap((x, i) => (x === undefined ? [i] : []));
        if (missing.length) {
          opts.log(`meilisearch network: index ${uid} missing on ${missing.map((i) => names[i]).join(', ')}; creating it there`);
          await tasks.wait(await tasks.enqueue(missing, (e) => on(e).create(some.primaryKey ?? 'id')));
        }
        return some;
      },
      create: async (primaryKey) => tasks.enqueue(where(await present(uid), false), (e) => on(e).create(primaryKey)),
      delete: async () => tasks.enqueue(where(await present(uid), true), (e) => on(e).delete()),
    };
  }

  async function multiSearch<D extends Doc, K extends keyof D & string>(queries: ReadonlyArray<MultiSearchQuery<K>>): Promise<Array<SearchResult<Pick<D, K>>>> {
    return Promise.all(queries.map(({ indexUid, ...query }) => federation.search<Pick<D, K>>(indexUid, query)));
  }

  return {
    url: `network:${names.join(',')}`,
    nodes,
    layout: [...names].sort().join(','),
    node(name) {
      const i = names.indexOf(name);
      if (i < 0) throw new Error(`no node ${name}`);
      return engines[i]!;
    },
    index,
    multiSearch,
    swap: (pairs) => swapEverywhere(engines, fanout, tasks, pairs),
    wait: (task, timeoutMs) => tasks.wait(task, timeoutMs),
    /** Every node's mark: a write applied on any node changes it. */
    async lastWrite(timeoutMs) {
      return (await fanout.all((e) => e.lastWrite(timeoutMs))).join(',');
    },
    async settle(timeoutMs) {
      await fanout.all((e) => e.settle(timeoutMs));
    },
    async health(timeoutMs = 5_000) {
      await fanout.all((e) => e.health(timeoutMs));
    },
    async version(timeoutMs) {
      return (await fanout.all((e) => e.version(timeoutMs)))[0]!;
    },
    close: () => engines.forEach((e) => e.close()),
  };
}

/**
 * Joins the nodes with Meilisearch's network feature: turns the `network` experimental feature
 * on and tells each node its own name and how to reach the others (with a search-only key).
 * Remotes it knew that are no longer named are removed; Meilisearch's own sharding is off.
 */
async function configureNetwork(nodes: readonly NetworkNode[], transports: readonly Transport[]): Promise<void> {
  const down: string[] = [];
  await Promise.all(nodes.map((n, i) => transports[i]!.request('GET', '/health', undefined, 5_000).catch(() => down.push(n.name))));
  if (down.length) {
    throw new NetworkError(down, `MEILI_NETWORK: node${down.length > 1 ? 's' : ''} ${down.map((d) => `${d} (${nodes.find((n) => n.name === d)!.url})`).join(', ')} did not answer`);
  }
  // Each node reaches the others with a search-only key of theirs, not with their master key.
  const searchKeys = await Promise.all(nodes.map((n, i) => (n.key ? searchKey(transports[i]!) : Promise.resolve(null))));
  const remotes = Object.fromEntries(nodes.map((n, i) => [n.name, { url: n.url, searchApiKey: searchKeys[i] }]));
  for (const [i, n] of nodes.entries()) {
    const t = transports[i]!;
    await t.request('PATCH', '/experimental-features', { network: true });
    const current = await t.request<{ remotes?: Record<string, unknown>; sharding?: boolean }>('GET', '/network');
    const stale = Object.keys(current.remotes ?? {}).filter((r) => !(r in remotes));
    const update: Record<string, unknown> = { self: n.name, remotes: { ...remotes, ...Object.fromEntries(stale.map((r) => [r, null])) } };
    if (current.sharding) update.sharding = false;
    await t.request('PATCH', '/network', update);
  }
}

/** Fixed, so that every start finds the key it made before instead of making another. */
const SEARCH_KEY_UID = '3f0b8a52-6c1e-4d7a-9b2e-5a4c1d8e7f60';

/** The node's search-only key for its peers (made on first use). */
async function searchKey(node: Transport): Promise<string> {
  const known = await orUndefined(node.request<{ key: string }>('GET', `/keys/${SEARCH_KEY_UID}`));
  if (known) return known.key;
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
  const transports = options.nodes.map((n) => createTransport({ url: n.url, key: n.key, timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs }));
  try {
    await configureNetwork(options.nodes, transports);
  } catch (e) {
    transports.forEach((t) => t.close());
    throw e;
  }
  return createNetworkEngine(options, transports);
}
