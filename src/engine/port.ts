/**
 * The engine port: what the product asks of Meilisearch, as typed calls. Everything outside
 * `src/engine/` talks to the engine through this interface and never writes an engine URL.
 *
 * Two implementations: one node (`client.ts`, `createEngine`) and several nodes joined with
 * Meilisearch's network feature (`network.ts`, `createNetworkEngine`).
 *
 * Calls and the Meilisearch 1.21 routes behind them (single node):
 *
 * | call | route |
 * |---|---|
 * | `index(uid).search(query)` | `POST /indexes/{uid}/search` |
 * | `index(uid).getDocument(id, options)` | `GET /indexes/{uid}/documents/{id}` (undefined when missing) |
 * | `index(uid).fetchDocuments(query)` | `POST /indexes/{uid}/documents/fetch` |
 * | `index(uid).addDocuments(docs)` | `POST /indexes/{uid}/documents` |
 * | `index(uid).deleteByFilter(filter)` | `POST /indexes/{uid}/documents/delete` |
 * | `index(uid).deleteDocuments(ids)` | `POST /indexes/{uid}/documents/delete-batch` |
 * | `index(uid).stats()` | `GET /indexes/{uid}/stats` (undefined when the index is missing) |
 * | `index(uid).info()` | `GET /indexes/{uid}` (undefined when missing) |
 * | `index(uid).create(primaryKey)` / `.delete()` | `POST /indexes` / `DELETE /indexes/{uid}` |
 * | `index(uid).updateSettings(settings)` | `PATCH /indexes/{uid}/settings` |
 * | `multiSearch(queries)` | `POST /multi-search` (not federated) |
 * | `swap(pairs)` | `POST /swap-indexes` |
 * | `wait(task)` | `GET /tasks/{uid}` until done |
 * | `lastWrite()` | `GET /tasks?statuses=succeeded&limit=1` |
 * | `settle()` | `GET /tasks?statuses=enqueued,processing&limit=1`, then that task until done |
 * | `health()` / `version()` | `GET /health` / `GET /version` |
 * | `snapshot()` | `POST /snapshots` (one node only: the file lands in that node's snapshot dir) |
 */

/** A document as stored: any JSON object with an `id`. */
export type Doc = { id: string };

export interface SearchQuery<K extends string = string> {
  q?: string;
  filter?: string | undefined;
  facets?: readonly string[];
  /** page/hitsPerPage: exact totals (`totalHits`). */
  page?: number;
  hitsPerPage?: number;
  /** offset/limit: estimated totals (`estimatedTotalHits`). */
  offset?: number;
  limit?: number;
  attributesToRetrieve?: readonly K[];
  attributesToSearchOn?: readonly string[];
  sort?: readonly string[];
  distinct?: string;
  showRankingScore?: boolean;
  vector?: number[];
  hybrid?: { embedder: string; semanticRatio: number };
  retrieveVectors?: boolean;
}

/** Vectors as the engine returns them (`retrieveVectors`). */
export type StoredVectors = Record<string, { embeddings: number[][]; regenerate: boolean }>;

/** What the engine adds to a hit. */
export interface HitMeta {
  _rankingScore?: number;
  _vectors?: StoredVectors;
}

export type FacetDistribution = Record<string, Record<string, number>>;

export interface SearchResult<H> {
  hits: Array<H & HitMeta>;
  query: string;
  processingTimeMs: number;
  /** With page/hitsPerPage. */
  totalHits?: number;
  page?: number;
  hitsPerPage?: number;
  totalPages?: number;
  /** With offset/limit. */
  estimatedTotalHits?: number;
  offset?: number;
  limit?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: Record<string, { min: number; max: number }>;
}

export interface DocumentsQuery<K extends string = string> {
  filter?: string;
  fields?: readonly K[];
  offset?: number;
  limit?: number;
}

export interface DocumentsPage<H> {
  results: H[];
  offset: number;
  limit: number;
  total: number;
}

export interface IndexStats {
  numberOfDocuments: number;
  isIndexing: boolean;
  numberOfEmbeddedDocuments?: number;
  /** Several nodes: each node's own stats. */
  nodes?: Record<string, IndexStats>;
}

export interface IndexInfo {
  uid: string;
  primaryKey: string | null;
}

/** The index settings the product sets (src/settings.ts). */
export interface IndexSettings {
  searchableAttributes?: readonly string[];
  displayedAttributes?: readonly string[];
  filterableAttributes?: readonly string[];
  sortableAttributes?: readonly string[];
  rankingRules?: readonly string[];
  typoTolerance?: { enabled: boolean };
  stopWords?: readonly string[];
  synonyms?: Record<string, readonly string[]>;
  dictionary?: readonly string[];
  localizedAttributes?: ReadonlyArray<{ attributePatterns: readonly string[]; locales: readonly string[] }>;
  pagination?: { maxTotalHits: number };
  faceting?: { maxValuesPerFacet: number; sortFacetValuesBy?: Record<string, 'count' | 'alpha'> };
  facetSearch?: boolean;
  prefixSearch?: 'indexingTime' | 'disabled';
  proximityPrecision?: 'byWord' | 'byAttribute';
  embedders?: Record<string, { source: 'userProvided'; dimensions: number }>;
}

/** An enqueued engine task; `wait` it to know it is applied. */
export interface TaskRef {
  taskUid: number;
}

export interface TaskStatus {
  uid: number;
  status: 'enqueued' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  type: string;
  error?: { message: string; code: string } | null;
  duration?: string | null;
}

export interface GetDocumentOptions<K extends string> {
  fields?: readonly K[];
  retrieveVectors?: boolean;
}

/** One index. `D` is the document type; reads with a field list return only those fields. */
export interface Index<D extends Doc = Doc> {
  readonly uid: string;
  search<K extends keyof D & string = keyof D & string>(query: SearchQuery<K>): Promise<SearchResult<Pick<D, K>>>;
  getDocument<K extends keyof D & string = keyof D & string>(id: string, options?: GetDocumentOptions<K>): Promise<(Pick<D, K> & HitMeta) | undefined>;
  fetchDocuments<K extends keyof D & string = keyof D & string>(query: DocumentsQuery<K>): Promise<DocumentsPage<Pick<D, K>>>;
  addDocuments(docs: readonly D[]): Promise<TaskRef>;
  deleteByFilter(filter: string): Promise<TaskRef>;
  deleteDocuments(ids: readonly string[]): Promise<TaskRef>;
  stats(timeoutMs?: number): Promise<IndexStats | undefined>;
  info(): Promise<IndexInfo | undefined>;
  create(primaryKey: string): Promise<TaskRef>;
  delete(): Promise<TaskRef>;
  updateSettings(settings: IndexSettings): Promise<TaskRef>;
}

/** One query of a (non-federated) multi-search. */
export interface MultiSearchQuery<K extends string = string> extends SearchQuery<K> {
  indexUid: string;
}

export interface Engine {
  /** Where it is (for logs and the CLIs): a URL, or `network:a,b,c`. */
  readonly url: string;
  /** Several nodes (network.ts): the set of nodes documents are placed on. Unset for one node. */
  readonly layout?: string;
  index<D extends Doc = Doc>(uid: string): Index<D>;
  /** Several searches in one request (documents of type D), results in the order of the queries. */
  multiSearch<D extends Doc = Doc, K extends keyof D & string = keyof D & string>(queries: ReadonlyArray<MultiSearchQuery<K>>): Promise<Array<SearchResult<Pick<D, K>>>>;
  /** Swaps each pair of indexes in one engine task. */
  swap(pairs: ReadonlyArray<readonly [string, string]>): Promise<TaskRef>;
  /** Waits for a task; throws ENGINE_TASK_FAILED if it failed. */
  wait(task: TaskRef | number, timeoutMs?: number): Promise<TaskStatus>;
  /**
   * A mark of the newest write the engine has applied (its latest succeeded task, with when it
   * finished): it changes with every applied write, whichever process sent it. The response
   * cache's index version (api/index-version.ts).
   */
  lastWrite(timeoutMs?: number): Promise<string>;
  /**
   * Waits until every task the engine holds now, from any writer, is done (applied, failed or
   * canceled): reads after it see them. A run killed midway leaves its tasks queued, and the
   * engine applies them after its restart.
   */
  settle(timeoutMs?: number): Promise<void>;
  /** Resolves when the engine answers its health check. */
  health(timeoutMs?: number): Promise<void>;
  /** The engine's version, e.g. `1.21.0`. */
  version(timeoutMs?: number): Promise<string>;
  /** Writes a snapshot of the whole database into the node's snapshot dir; unset for several nodes. */
  snapshot?(): Promise<TaskRef>;
  close(): void;
}
