/**
 * An index run: files → notices and passages → engine documents, incrementally.
 *
 * What is indexed is recorded in the `state` index, per source file, only after its documents
 * are in: a run killed midway leaves some files unrecorded, and the next run redoes exactly
 * those. A full build (first run, --rebuild, or a change of code or data/dict/) goes into
 * staging indexes that are swapped in at the end in one engine task; a full build cut short
 * (the engine or the process killed) is resumed by the next run, or its staging indexes
 * dropped when the build it was making is no longer the one wanted.
 *
 * A notice held by several files is one notice listing them (holders.ts): the run writes its
 * documents from the holder that gives its fields, and reconciles (reconcile.ts) what changed
 * hands: a notice its last holder dropped goes, one another file still holds stays.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Engine, IndexSettings, TaskRef } from '../src/engine/port.ts';
import { buildHash, deleteIndexes, ensureIndexes, LIVE, STAGING, swapIn, type IndexNames } from '../src/indexes.ts';
import { noticeDoc, passageDoc, type DocumentContext, type NoticeDoc, type PassageDoc, type TermDoc } from '../src/documents.ts';
import type { Notice } from '../src/notice.ts';
import { parseFile } from '../src/parse.ts';
import { encodeText } from '../src/grams.ts';
import { pinyinKeys } from '../src/pinyin.ts';
import { createVocabulary } from '../src/vocabulary.ts';
import { chunksByBytes } from './batches.ts';
import { listFiles, shownName } from './files.ts';
import { createHoldings, type Holding } from './holders.ts';
import { reconcile } from './reconcile.ts';

/** A source file as recorded: what it holds (holders.ts; `url`: the page URL it was indexed with, kept for later runs). */
export interface SourceState extends Holding {
  kind: 'source';
  notices: number;
  passages: number;
}

interface BuildState {
  id: 'build';
  kind: 'build';
  hash: string;
  /** Set while a full build is being made in the staging indexes: a run that finds it resumes the build. */
  partial?: boolean;
}

/** The `state` index: what an index run has recorded. */
type StateDoc = SourceState | BuildState;

export interface IndexContext extends DocumentContext {
  dictHash: string;
  /** Adds `_vectors` to passage documents; absent when embeddings are off. */
  vectors?: ((docs: PassageDoc[], onProgress?: (done: number) => void) => Promise<void>) | undefined;
  /** Extra passage index settings (the embedder). */
  passageSettings?: IndexSettings | undefined;
  /** Normalized domain dictionary words: suggested wherever a passage holds them (vocabulary.ts). */
  domainTerms?: readonly string[] | undefined;
  /** Largest engine batch, bytes of JSON (INDEX_BATCH_BYTES); a batch is also cut by passage count. */
  batchBytes?: number | undefined;
  /** Notices deleted by an admin (indexer/deletes.ts): left out of every run. */
  deleted?: ReadonlySet<string> | undefined;
}

export interface Progress {
  phase: 'scan' | 'index' | 'swap' | 'done';
  files: number;
  filesDone: number;
  passages: number;
  file?: string;
}

export interface IndexOptions {
  /** Files or folders; a full build also re-reads every previously indexed file still present. */
  paths: string[];
  rebuild?: boolean;
  prune?: boolean;
  onProgress?: (p: Progress) => void;
  /** Passages per engine batch. */
  batchSize?: number;
  /**
   * Page URLs of some of the files, by path as given in `paths`: each notice of the file gets it
   * as its sourceUrl. A file indexed with a URL keeps it in later runs that give none.
   */
  urls?: ReadonlyMap<string, string>;
}

export interface IndexSummary {
  files: number;
  indexed: number;
  unchanged: number;
  notices: number;
  passages: number;
  skipped: Array<{ file: string; reason: string }>;
  pruned: number;
  rebuilt: boolean;
  /** A full build cut short earlier was carried on. */
  resumed: boolean;
  /** Notices removed because no file holds them any more (or deleted), and written again from another holder. */
  reconciled: { removed: number; rewritten: number; relisted: number };
  seconds: number;
}

/** Batches handed to the engine and not yet indexed, at most (indexing overlaps parsing). */
const MAX_IN_FLIGHT = 2;
/**
 * What a passage's vector adds to its JSON (384 numbers of about 20 characters): counted before
 * the vectors are computed, so a batch with vectors is cut as one without would be.
 */
const VECTOR_BYTES = 384 * 20;
/** INDEX_BATCH_BYTES's default: well inside Meilisearch's default payload limit (100 MB). */
const DEFAULT_BATCH_BYTES = 32 * 1024 * 1024;
/** Passages between two writes of the index run's records (see `unrecorded` in runIndex). */
const RECORD_EVERY = 50_000;

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const sourceKey = (path: string) => sha(path).slice(0, 24);

async function recordedSources(engine: Engine, uid: string): Promise<SourceState[]> {
  const out: SourceState[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await engine.index<SourceState>(uid).fetchDocuments({ filter: 'kind = source', limit: 1000, offset });
    out.push(...page.results);
    if (page.results.length < 1000) return out;
  }
}

async function buildOf(engine: Engine, uid: string): Promise<BuildState | undefined> {
  return engine.index<BuildState>(uid).getDocument('build');
}

export async function runIndex(engine: Engine, ctx: IndexContext, options: IndexOptions): Promise<IndexSummary> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  // Meilisearch indexes one big batch much faster than several small ones (measured by npm run
  // bench: +15 % at 50k passages from 2,000 to 10,000). With embedding, a batch waits for its
  // inference, so smaller batches keep the progress and a resumed run finer-grained.
  const batchSize = options.batchSize ?? (ctx.vectors ? 2000 : 10_000);
  // A count alone lets a file of long passages make one batch bigger than the engine takes
  // (a 19 MB upload made 200 MB of JSON, which Meilisearch refused with 413): bytes cut it too,
  // inside a file as well as between files.
  const batchBytes = ctx.batchBytes ?? DEFAULT_BATCH_BYTES;
  const perPassage = ctx.vectors ? VECTOR_BYTES : 0;
  const deleted = ctx.deleted ?? new Set<string>();
  // Documents placed for another set of nodes (MEILI_NETWORK) are on the wrong nodes: rebuild.
  const hash = buildHash(ctx.dictHash, engine.layout ? [ctx.passageSettings ?? null, engine.layout] : ctx.passageSettings ?? null);
  // What a run killed midway sent is still in the engine's queue, applied after its restart:
  // the records read below must include it.
  await engine.settle();
  // A full build cut short (engine or process killed mid-rebuild) left its staging indexes and
  // their records: carry it on when it was making the build wanted now, else drop it.
  const staged = (await engine.index(STAGING.state).info()) ? await buildOf(engine, STAGING.state) : undefined;
  const resume = staged?.partial === true && staged.hash === hash;
  const rebuild = options.rebuild === true || resume || (await buildOf(engine, LIVE.state))?.hash !== hash;
  // A rebuild leaves the live settings as they are: new extra settings (an embedder) may not be
  // valid for the live documents (Meilisearch refuses an embedder over passages without
  // vectors); the staging indexes get them. Without a rebuild the live indexes were built with
  // the settings the hash covers, so nothing is sent: four settings tasks made a 100-byte upload
  // take seconds.
  if (rebuild) await ensureIndexes(engine, LIVE, {});
  const liveSources = await recordedSources(engine, LIVE.state);
  const target: IndexNames = rebuild ? STAGING : LIVE;
  // Any staging index not resumed goes, also one a kill left before its build record was written.
  if (!resume) await deleteIndexes(engine, STAGING);
  if (rebuild) {
    await ensureIndexes(engine, STAGING, ctx.passageSettings);
    if (!resume) await engine.wait(await engine.index<BuildState>(STAGING.state).addDocuments([{ id: 'build', kind: 'build', hash, partial: true }]));
  }
  const stagedSources = resume ? await recordedSources(engine, STAGING.state) : [];
  const recorded = rebuild ? stagedSources : liveSources;
  const known = new Map<string, SourceState>(recorded.map((s) => [s.id, s]));
  const holdings = createHoldings(recorded);
  // A file keeps its place among the holders of its notices through rebuilds.
  const seqs = new Map<string, number>([...liveSources, ...stagedSources].map((s) => [s.id, s.seq]));
  let nextSeq = Math.max(-1, ...seqs.values()) + 1;
  const urlsBefore = new Map(liveSources.filter((s) => s.url != null).map((s) => [s.id, s.url as string]));
  const namesBefore = new Map([...liveSources, ...stagedSources].map((s) => [s.id, s.name]));

  progress({ phase: 'scan', files: 0, filesDone: 0, passages: 0 });
  const { files, errors } = await listFiles(options.paths);
  const found = new Set(files);
  const listed = new Set(files);
  if (rebuild) {
    for (const s of [...liveSources, ...stagedSources]) {
      if (!listed.has(s.path) && existsSync(s.path)) {
        files.push(s.path);
        listed.add(s.path);
      }
    }
  }
  const keys = new Set(files.map(sourceKey));
  // Notices whose holders changed in this run: what reconcile() checks (all of them on a start or a rebuild).
  const touched = new Set<string>();
  // A rebuild holds only the files there are; a pruning run drops the records of files that are gone.
  const gone = [...known.values()].filter((s) => !keys.has(s.id) && (rebuild || (options.prune === true && !existsSync(s.path))));
  for (const s of gone) for (const id of holdings.remove(s.id)) touched.add(id);

  const summary: IndexSummary = {
    files: files.length, indexed: 0, unchanged: 0, notices: 0, passages: 0, skipped: [...errors], pruned: rebuild ? 0 : gone.length,
    rebuilt: rebuild, resumed: resume, reconciled: { removed: 0, rewritten: 0, relisted: 0 }, seconds: 0,
  };
  let pending: { passages: PassageDoc[]; notices: NoticeDoc[]; sources: SourceState[]; bytes: number } = { passages: [], notices: [], sources: [], bytes: 0 };
  const passages = engine.index<PassageDoc>(target.passages);
  const notices = engine.index<NoticeDoc>(target.notices);
  const state = engine.index<StateDoc>(target.state);

  // Each batch's passage tasks, until the engine has indexed them: at most MAX_IN_FLIGHT are
  // waiting at a time, so indexing overlaps parsing without the engine's queue growing unbounded.
  const inFlight: Promise<void>[] = [];
  // Files whose passages are handed to the engine but not yet recorded. A write to the small
  // indexes costs the engine a batch of its own (0.1–2.6 s each at 200,000 passages, however few
  // documents: npm run bench, "where the time goes"), so their notices, and then their state
  // once all their documents are in, are written once per RECORD_EVERY passages, not per batch.
  // A crash loses at most that much recorded progress: those files are indexed again next run.
  // `indexed`: the waits on their batches' passage tasks (a task is waited for once: a network
  // engine forgets a task once it has answered for it).
  let unrecorded: { notices: NoticeDoc[]; sources: SourceState[]; passages: number; indexed: Promise<void>[] } = { notices: [], sources: [], passages: 0, indexed: [] };
  const records: Promise<void>[] = [];
  const settle = (p: Promise<void>) => {
    p.catch(() => undefined); // awaited later; this only keeps it from counting as unhandled meanwhile
    return p;
  };

  async function flush(last = false): Promise<void> {
    const batch = pending;
    pending = { passages: [], notices: [], sources: [], bytes: 0 };
    // A batch cut inside a file has passages and no source yet: the source goes with its last passages.
    if (batch.sources.length || batch.passages.length) {
      if (ctx.vectors) await ctx.vectors(batch.passages);
      const tasks: TaskRef[] = [];
      if (batch.passages.length) tasks.push(await passages.addDocuments(batch.passages));
      unrecorded.notices.push(...batch.notices);
      unrecorded.sources.push(...batch.sources);
      unrecorded.passages += batch.passages.length;
      const indexed = settle((async () => {
        for (const t of tasks) await engine.wait(t);
      })());
      unrecorded.indexed.push(indexed);
      inFlight.push(indexed);
    }
    if (unrecorded.sources.length && (last || unrecorded.passages >= RECORD_EVERY)) {
      const rec = unrecorded;
      unrecorded = { notices: [], sources: [], passages: 0, indexed: [] };
      // Listed as held now; a holder that comes later in the run is added by reconcile().
      for (const d of rec.notices) d.sources = holdings.sources(d.id);
      const noticesTasks: TaskRef[] = [];
      for (const chunk of chunksByBytes(rec.notices, batchBytes)) noticesTasks.push(await notices.addDocuments(chunk));
      records.push(settle((async () => {
        for (const p of rec.indexed) await p;
        for (const t of noticesTasks) await engine.wait(t);
        await engine.wait(await state.addDocuments(rec.sources));
      })()));
    }
    while (inFlight.length > MAX_IN_FLIGHT) await inFlight.shift();
  }

  const vocabulary = createVocabulary(ctx.domainTerms ?? []);
  /** Documents of one notice, as `holding` gives them. */
  function documents(n: Notice, holding: Holding): { notice: NoticeDoc; passages: PassageDoc[] } {
    const docs = n.passages.map((p) => {
      const keywords = ctx.keywords(p.normText);
      vocabulary.add(p.normText, keywords);
      return passageDoc(n, p, ctx.synonyms, keywords);
    });
    return { notice: noticeDoc(n, { sourceKey: holding.id, contentHash: holding.contentHash }, []), passages: docs };
  }

  const seen = new Set<string>();
  for (const [i, file] of files.entries()) {
    progress({ phase: 'index', files: files.length, filesDone: i, passages: summary.passages, file });
    const key = sourceKey(file);
    if (seen.has(key)) continue;
    seen.add(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      summary.skipped.push({ file, reason: `unreadable: ${(e as Error).message}` });
      continue;
    }
    const url = options.urls?.get(file) ?? urlsBefore.get(key) ?? null;
    // A new URL for the same bytes changes the notices (sourceUrl, perhaps the region): index again.
    const contentHash = (url === null ? sha(bytes) : sha(Buffer.concat([bytes, Buffer.from(`\u0000${url}`)]))).slice(0, 24);
    if (known.get(key)?.contentHash === contentHash) {
      summary.unchanged++;
      continue;
    }
    // Files a rebuild adds from the records keep the name they were first indexed under.
    const name = (!found.has(file) && namesBefore.get(key)) || shownName(options.paths, file);
    // One file never stops a run (nor so a start): whatever its parse throws, it is skipped with the reason.
    const parsed = await parseFile(name, bytes, { url }).catch(
      (e: unknown) => ({ ok: false, reason: 'parse-failed', detail: e instanceof Error ? e.message : String(e) }) as const,
    );
    if (!parsed.ok) {
      summary.skipped.push({ file, reason: `${parsed.reason}: ${parsed.detail}` });
      continue;
    }
    const seq = seqs.get(key) ?? nextSeq++;
    seqs.set(key, seq);
    const holding: Holding = { id: key, path: file, name, url, contentHash, seq, noticeIds: [...new Set(parsed.notices.map((n) => n.id))] };
    for (const id of holdings.set(holding)) touched.add(id);
    const kept = parsed.notices.filter((n) => !deleted.has(n.id));
    let passageCount = 0;
    for (const n of kept) {
      passageCount += n.passages.length;
      // Held first by another file: that file's documents stand, and this one is listed among its sources.
      if (holdings.primary(n.id)?.id !== key) continue;
      const docs = documents(n, holding);
      pending.notices.push(docs.notice);
      for (const doc of docs.passages) {
        pending.passages.push(doc);
        pending.bytes += Buffer.byteLength(JSON.stringify(doc)) + perPassage;
        if (pending.bytes >= batchBytes || pending.passages.length >= batchSize) await flush();
      }
    }
    pending.sources.push({ ...holding, kind: 'source', notices: kept.length, passages: passageCount });
    summary.indexed++;
    summary.notices += kept.length;
    summary.passages += passageCount;
  }
  await flush(true);
  while (inFlight.length) await inFlight.shift();
  while (records.length) await records.shift();

  /** A notice whose holder changed: its documents again, from the file that now gives its fields. */
  async function rewrite(holding: Holding, ids: ReadonlySet<string>): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(holding.path);
    } catch {
      return; // gone since it was recorded: the next pruning run drops it
    }
    const parsed = await parseFile(holding.name, bytes, { url: holding.url }).catch(() => undefined);
    if (!parsed?.ok) return;
    const docs = parsed.notices.filter((n) => ids.has(n.id)).map((n) => documents(n, holding));
    const passageDocs = docs.flatMap((d) => d.passages);
    if (ctx.vectors) await ctx.vectors(passageDocs);
    for (const chunk of chunksByBytes(passageDocs, batchBytes)) await engine.wait(await passages.addDocuments(chunk));
    const noticeDocs = docs.map((d) => ({ ...d.notice, sources: holdings.sources(d.notice.id) }));
    for (const chunk of chunksByBytes(noticeDocs, batchBytes)) await engine.wait(await notices.addDocuments(chunk));
  }
  summary.reconciled = await reconcile(engine, target, {
    holdings,
    deleted,
    scope: rebuild || options.prune === true ? 'all' : touched,
    batchBytes,
    rewrite,
  });
  if (gone.length) await engine.wait(await state.deleteDocuments(gone.map((s) => s.id)));

  const termCounts = vocabulary.counts();
  if (termCounts.size) {
    const terms = [...termCounts].map(([term, weight]): TermDoc => ({ id: sha(term).slice(0, 24), term, weight, grams: encodeText(term), py: pinyinKeys(term) }));
    const termTasks: TaskRef[] = [];
    for (const chunk of chunksByBytes(terms, batchBytes)) termTasks.push(await engine.index<TermDoc>(target.terms).addDocuments(chunk));
    for (const t of termTasks) await engine.wait(t);
  }
  await engine.wait(await state.addDocuments([{ id: 'build', kind: 'build', hash }]));
  if (rebuild) {
    progress({ phase: 'swap', files: files.length, filesDone: files.length, passages: summary.passages });
    await swapIn(engine, STAGING);
  }
  summary.seconds = (performance.now() - started) / 1000;
  progress({ phase: 'done', files: files.length, filesDone: files.length, passages: summary.passages });
  return summary;
}
