/**
 * What the routes call: search (keyword, hybrid, semantic), similar measures, suggestions,
 * notices and passages (src/lookup.ts), health, and the admin work (uploads, deletes, rebuilds:
 * index runs, one at a time; backups between them), and the disk watermark. Routes never talk to
 * the engine themselves.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { NoticeDoc, PassageDoc } from '../src/documents.ts';
import { CodedError } from '../src/errors.ts';
import { shownName } from '../indexer/files.ts';
import { NetworkError } from '../src/engine/network.ts';
import { quote, type Filters } from '../src/filter.ts';
import { createLookup, type NoticeList, type NoticePage } from '../src/lookup.ts';
import { createSearcher, type Hit, type SearchRequest, type SearchResponse } from '../src/search.ts';
import { INDEX } from '../src/settings.ts';
import { createSimilar, type SimilarRequest, type SimilarResponse } from '../src/similar.ts';
import { createSemanticSearch } from '../src/semantic.ts';
import { contentTerms } from '../src/segment.ts';
import { suggest } from '../src/suggest.ts';
import { runIndex, type IndexOptions, type IndexSummary } from '../indexer/run.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { createIndexVersion, type IndexVersion } from './index-version.ts';
import { keepIfIndexed } from './uploads.ts';
import { deletesFile, recordDelete } from '../indexer/deletes.ts';
import { createBackup, type BackupResult, type BackupStep } from '../indexer/backup.ts';
import { backupFileName } from '../src/backup-manifest.ts';
import { createWatermark, type DiskState } from '../src/watermark.ts';

export interface Health {
  status: string;
  engine: string;
  version: string;
  notices: number | null;
  passages: number | null;
  /** Free space against MIN_FREE_BYTES; below it `status` is `read-only` (searches answered, writes 507). */
  disk: DiskState;
  /** Files the start could not index, by public name, with the reason: fix or remove them. */
  skipped: Array<{ file: string; reason: string }>;
}

export interface Services {
  version: string;
  /** What cached answers and ETags are valid for; every write here moves it (api/index-version.ts). */
  indexVersion: IndexVersion;
  /** True once the first index run has finished. */
  ready(): boolean;
  /** `ok` is whether to answer 200. */
  health(): Promise<{ ok: boolean; body: Health }>;
  search(req: SearchRequest): Promise<SearchResponse>;
  similar(req: SimilarRequest): Promise<SimilarResponse>;
  suggest(q: string, limit: number): Promise<string[]>;
  /** Throws NOT_FOUND. */
  passage(id: string): Promise<Hit>;
  /** Throws NOT_FOUND. */
  notice(id: string): Promise<NoticePage>;
  notices(filters: Filters, offset: number, limit: number): Promise<NoticeList>;
  /** `url`: the page the file was taken from, each of its notices' sourceUrl. */
  upload(files: Array<{ name: string; bytes: Uint8Array; url?: string | undefined }>): Promise<IndexSummary>;
  /** False when there is no such notice. */
  deleteNotice(id: string): Promise<boolean>;
  reindex(onProgress?: IndexOptions['onProgress']): Promise<IndexSummary>;
  /** Throws DISK_LOW below the watermark; `what` names the write refused. */
  assertWritable(what: string): Promise<void>;
  /** A backup (indexer/backup.ts) into `out`, default DATA_DIR/backups/<time>.tar.gz, taken between index runs. */
  backup(out?: string, onStep?: (step: BackupStep) => void): Promise<BackupResult>;
}

export interface ServiceOptions {
  /** Folders indexed at start and by a rebuild (the bundled corpus). */
  corpus: string[];
  version: string;
  /** Where the mending after a failed index run is reported (stderr by default). */
  log?: (message: string) => void;
}

/** How long the mending after a failed index run waits for the engine to answer again. */
const HEAL_WAIT_MS = 120_000;

export interface RunningServices extends Services {
  /** Indexes the corpus and uploads if anything changed; the API answers searches after this. */
  start(onProgress?: IndexOptions['onProgress']): Promise<IndexSummary>;
  uploadsDir: string;
  /** Resolves when the index runs queued so far (a mending run too) are done. */
  settled(): Promise<void>;
}

export function createServices(runtime: Runtime, options: ServiceOptions): RunningServices {
  const { engine } = runtime;
  const uploadsDir = path.join(runtime.config.dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const roots = [...options.corpus, uploadsDir];
  let ready = false;
  let skipped: Health['skipped'] = [];
  /** A skipped file as the public may see it: its upload name or path in the corpus, never a server path. */
  const publicSkip = (s: { file: string; reason: string }) => {
    const file = shownName(roots, s.file);
    let reason = s.reason.split(s.file).join(file);
    for (const root of roots) reason = reason.split(root + path.sep).join('').split(root).join('');
    return { file, reason };
  };
  let queue: Promise<unknown> = Promise.resolve();
  const indexVersion = createIndexVersion(engine);

  const log = options.log ?? ((m: string) => console.error(m));

  /**
   * Index runs share the staging indexes and the state: never two at once. Every write goes
   * through here, and its caller hears back only once the index version has moved past it.
   */
  function exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = queue.then(job, job).finally(() => indexVersion.changed());
    queue = run.catch(() => undefined);
    run.catch((e: unknown) => heal(e));
    return run;
  }

  const index = (opts: IndexOptions) => exclusive(() => runIndex(engine, runtime.indexContext(), opts));

  // An index run that fails midway (most often the engine killed under it) may leave documents
  // of a file it did not keep, or a rebuild's staging indexes: once the engine answers again,
  // the start's run mends both (reconcile.ts removes what no kept file holds; a rebuild cut short
  // is resumed), so the service does not wait for a restart to be whole again.
  let healing = false;
  function heal(cause: unknown): void {
    if (!ready || healing) return;
    healing = true;
    log(`an index run failed (${(cause as Error).message}); mending once the engine answers`);
    exclusive(async () => {
      try {
        const deadline = Date.now() + HEAL_WAIT_MS;
        for (;;) {
          try {
            await engine.health(2_000);
            break;
          } catch (e) {
            if (Date.now() > deadline) throw e;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
        const summary = await runIndex(engine, runtime.indexContext(), { paths: roots, prune: true });
        log(`mended: ${summary.reconciled.removed} notices removed${summary.resumed ? ', the rebuild cut short resumed and swapped in' : ''}`);
      } catch (e) {
        log(`mending failed (${(e as Error).message}); the next start mends it`);
      } finally {
        healing = false;
      }
    }).catch(() => undefined);
  }
  const searcher = createSearcher(engine, () => runtime.synonyms);
  const lookup = createLookup(engine);
  const meaning = meaningServices(runtime, searcher, indexVersion);
  const { dataDir } = runtime.config;
  const watermark = createWatermark({
    minFreeBytes: runtime.config.minFreeBytes,
    freeBytes: async () => {
      const fs = await statfs(dataDir);
      return fs.bavail * fs.bsize;
    },
  });

  return {
    uploadsDir,
    settled: () => queue.then(() => undefined),
    version: options.version,
    indexVersion,
    ready: () => ready,
    async health() {
      const disk = await watermark.state();
      const writable = (status: string) => (disk.writable ? status : 'read-only');
      try {
        const [, version, passages, notices] = await Promise.all([
          engine.health(2_000),
          engine.version(2_000),
          engine.index(INDEX.passages).stats(2_000),
          engine.index(INDEX.notices).stats(2_000),
        ]);
        return {
          ok: ready,
          body: { status: ready ? writable('ok') : 'starting', engine: `meilisearch ${version}`, version: options.version, notices: notices?.numberOfDocuments ?? 0, passages: passages?.numberOfDocuments ?? 0, disk, skipped },
        };
      } catch (e) {
        const status =
          e instanceof NetworkError ? `engine nodes unavailable: ${e.nodes.join(', ')}`
          : e instanceof CodedError && e.code === 'ENGINE_STORE_CORRUPT' ? e.message
          : 'engine unavailable';
        return { ok: false, body: { status, engine: 'meilisearch', version: options.version, notices: null, passages: null, disk, skipped } };
      }
    },
    search: (req) => (req.mode === 'keyword' ? searcher.keyword(req) : meaning.semantic(req.mode, req)),
    similar: meaning.similar,
    suggest: (q, limit) => suggest(engine, q, limit),
    async passage(id) {
      const hit = await lookup.passage(id);
      if (!hit) throw new CodedError('NOT_FOUND', `no passage ${id}`);
      return hit;
    },
    async notice(id) {
      const notice = await lookup.notice(id);
      if (!notice) throw new CodedError('NOT_FOUND', `no notice ${id}`);
      return notice;
    },
    notices: (filters, offset, limit) => lookup.notices(filters, offset, limit),
    async start(onProgress) {
      // Half-written uploads of a process killed mid-write: never indexed (hidden), never kept.
      for (const f of readdirSync(uploadsDir)) if (f.startsWith('.') && f.endsWith('.part')) rmSync(path.join(uploadsDir, f), { force: true });
      const summary = await index({ paths: roots, prune: true, onProgress });
      skipped = summary.skipped.map(publicSkip);
      ready = true;
      return summary;
    },
    // One upload at a time, and never beside another index run: two uploads of one name would
    // otherwise write the file under each other's index run. An upload is kept only if it was
    // indexed: a file that is skipped, or a run that fails, puts back what was there before.
    upload: (files) => exclusive(() => keepIfIndexed(uploadsDir, files, (paths, urls) => runIndex(engine, runtime.indexContext(), { paths, urls }))),
    async deleteNotice(id) {
      return exclusive(async () => {
        const notices = engine.index<NoticeDoc>(INDEX.notices);
        if (!(await notices.getDocument(id, { fields: ['id'] }))) return false;
        // Recorded first: a crash between the two leaves it deleted at the next run.
        await recordDelete(deletesFile(runtime.config.dataDir), id);
        await engine.wait(await engine.index<PassageDoc>(INDEX.passages).deleteByFilter(`noticeId = ${quote(id)}`));
        await engine.wait(await notices.deleteDocuments([id]));
        return true;
      });
    },
    reindex: (onProgress) => index({ paths: roots, rebuild: true, onProgress }),
    assertWritable: (what) => watermark.assertWritable(what),
    backup: (out, onStep) =>
      exclusive(() =>
        createBackup(
          { engine, snapshotDir: runtime.supervised?.snapshotDir, dataDir, product: options.version },
          out ?? path.join(runtime.config.backupDir, backupFileName(new Date())),
          onStep,
        ),
      ),
  };
}

/**
 * Similar-measure search and hybrid/semantic search, when the embedding model is loaded. Without
 * it they throw MODEL_UNAVAILABLE (EMBEDDINGS=off) or the model's own error (MODEL_CORRUPT, …,
 * which says what to do); keyword search is not affected.
 */
function meaningServices(runtime: Runtime, searcher: ReturnType<typeof createSearcher>, indexVersion: IndexVersion): Pick<Services, 'similar'> & {
  semantic(mode: Exclude<SearchRequest['mode'], 'keyword'>, req: SearchRequest): Promise<SearchResponse>;
} {
  const { embedder, modelError, segmenter, dict } = runtime;
  if (!embedder) {
    const fail = (what: string) => async (): Promise<never> => {
      throw modelError ?? new CodedError('MODEL_UNAVAILABLE', `${what} the embedding model, which is not loaded; keyword search still works`);
    };
    return { similar: fail('similar measures need'), semantic: async (mode) => fail(`mode=${mode} needs`)() };
  }
  const similar = createSimilar(runtime.engine, embedder, { terms: contentTerms(segmenter, dict.stopWords), version: () => indexVersion.current() });
  const semantic = createSemanticSearch(runtime.engine, searcher, similar, () => runtime.synonyms);
  return {
    similar: (req) => similar.search(req),
    semantic: (mode, req) => semantic.search(mode, req),
  };
}
