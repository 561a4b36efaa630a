/**
 * Search across a network of nodes: one federated `/multi-search` with one query per node
 * (`federationOptions.remote`), sent to one of the nodes, which asks the others and merges hits,
 * totals and facet counts. The answer has the shape of a one-node search.
 */
import { EngineError, type Transport } from './client.ts';
import type { Fanout } from './fanout.ts';
import type { FacetDistribution, HitMeta, SearchQuery, SearchResult } from './port.ts';

interface FederatedResult<H> {
  hits: Array<H & HitMeta & { _federation?: unknown }>;
  processingTimeMs: number;
  estimatedTotalHits: number;
  facetDistribution?: FacetDistribution;
  facetStats?: SearchResult<H>['facetStats'];
  remoteErrors?: Record<string, { message: string; code: string }>;
}

export interface FederationOptions {
  fanout: Fanout;
  /** Each node's transport, by node index (the federated request is not part of the port). */
  transports: readonly Transport[];
  /** Largest number of values per facet in a merged facet distribution (the index setting). */
  maxValuesPerFacet: number;
}

/**
 * Adds facet counts of several nodes (a notice is on one node only, so nothing is counted
 * twice); values by count, highest first, at most `max` per facet.
 */
export function sumFacets(parts: ReadonlyArray<FacetDistribution | undefined>, max: number): FacetDistribution {
  const out: FacetDistribution = {};
  for (const part of parts) {
    for (const [facet, values] of Object.entries(part ?? {})) {
      const into = (out[facet] ??= {});
      for (const [v, n] of Object.entries(values)) into[v] = (into[v] ?? 0) + n;
    }
  }
  for (const facet of Object.keys(out)) {
    const sorted = Object.entries(out[facet]!).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out[facet] = Object.fromEntries(sorted.slice(0, max));
  }
  return out;
}

export function createFederation(options: FederationOptions): { search<H>(uid: string, query: SearchQuery): Promise<SearchResult<H>> } {
  const { fanout, transports, maxValuesPerFacet } = options;
  let turn = 0;

  /** The node that coordinates a federated search: each in turn, to share the merging work. */
  function coordinator(): number {
    turn = (turn + 1) % transports.length;
    return turn;
  }

  function checkRemoteErrors(res: FederatedResult<unknown>): void {
    const errors = Object.entries(res.remoteErrors ?? {});
    if (errors.length === 0) return;
    // A query the remote refused (bad filter, missing index) is the caller's error, as on one node.
    const refused = errors.find(([, e]) => !e.code.startsWith('remote_'));
    if (refused) {
      const [name, e] = refused;
      const missing = e.code === 'index_not_found';
      throw new EngineError(missing ? 'NOT_READY' : 'ENGINE_REJECTED', missing ? 'the index does not exist yet; indexing has not finished' : `node ${name}: ${e.message}`, missing ? 404 : 400, e.code);
    }
    throw fanout.unavailable(errors.map(([name]) => name), `did not answer (${errors.map(([n, e]) => `${n}: ${e.code}`).join(', ')})`);
  }

  async function federated<H>(uid: string, query: SearchQuery, federation: Record<string, unknown>): Promise<FederatedResult<H>> {
    const queries = fanout.names.map((name) => ({ indexUid: uid, ...query, federationOptions: { remote: name } }));
    const [res] = await fanout.on([coordinator()], (_, node) => transports[node]!.request<FederatedResult<H>>('POST', '/multi-search', { federation, queries }));
    checkRemoteErrors(res!);
    return res!;
  }

  /**
   * One index's search as on one node. page/hitsPerPage (exact counts) become federation
   * offset/limit: a federated search counts every candidate of every node, and the facet counts
   * are merged by Meilisearch. With `distinct`, a node stops removing duplicates once it has
   * enough hits, so exact counts are asked of each node directly and added up (a notice is on
   * one node only, so nothing is counted twice).
   */
  async function search<H>(uid: string, body: SearchQuery): Promise<SearchResult<H>> {
    const { page, hitsPerPage, limit, offset, facets, ...query } = body;
    const paged = page !== undefined || hitsPerPage !== undefined;
    const size = paged ? (hitsPerPage ?? 20) : (limit ?? 20);
    const from = paged ? Math.max(0, (page ?? 1) - 1) * size : (offset ?? 0);
    const exactDistinct = paged && query.distinct !== undefined;
    const federation: Record<string, unknown> = { limit: size, offset: from };
    if (facets?.length && !exactDistinct) {
      federation.facetsByIndex = { [uid]: facets };
      federation.mergeFacets = { maxValuesPerFacet };
    }
    const counting = exactDistinct
      ? fanout.all((e) => e.index(uid).search({ ...query, attributesToRetrieve: ['id'], facets, page: 1, hitsPerPage: 1, showRankingScore: false }))
      : undefined;
    const [res, counts] = await Promise.all([federated<H>(uid, query, federation), counting]);
    for (const h of res.hits) delete h._federation;
    const total = counts ? counts.reduce((s, c) => s + (c.totalHits ?? 0), 0) : res.estimatedTotalHits;
    const facetDistribution = counts ? (facets?.length ? sumFacets(counts.map((c) => c.facetDistribution), maxValuesPerFacet) : undefined) : res.facetDistribution;
    const out: SearchResult<H> = paged
      ? { hits: res.hits, query: query.q ?? '', processingTimeMs: res.processingTimeMs, hitsPerPage: size, page: page ?? 1, totalPages: size ? Math.ceil(total / size) : 0, totalHits: total }
      : { hits: res.hits, query: query.q ?? '', processingTimeMs: res.processingTimeMs, limit: size, offset: from, estimatedTotalHits: total };
    if (facets?.length) {
      out.facetDistribution = facetDistribution ?? {};
      out.facetStats = res.facetStats ?? {};
    }
    return out;
  }

  return { search };
}
