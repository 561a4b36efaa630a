/**
 * Indexing through the product, end to end (files → ingest → split → structure → enrich →
 * segment → [embed] → store), in steps: the first run builds the index from the real pages and
 * the notices up to the first size; each next run adds the notices up to the next size to the
 * live index (an incremental run, as when new notices arrive). Each step's passages per second is
 * what that run added divided by its wall time.
 */
import path from 'node:path';
import { readConfig } from '../../src/config.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import { createTransport, type Transport } from '../../src/engine/client.ts';
import { LIVE, STAGING, type IndexNames } from '../../src/indexes.ts';
import { runIndex } from '../../indexer/run.ts';
import type { Corpus } from './corpus.ts';
import { diskBytes, mb, memoryOf } from './procs.ts';

export interface IndexStep {
  /** Passages in the index after the step. */
  total: number;
  /** Passages this run added. */
  added: number;
  files: number;
  seconds: number;
  passagesPerSecond: number;
  /** Full build (staging indexes swapped in) or incremental. */
  rebuilt: boolean;
  /** Embedding inferences run (0 when every vector came from the embed cache). */
  embedded?: number;
}

export interface IndexResult {
  embeddings: boolean;
  steps: IndexStep[];
  passages: number;
  notices: number;
  /** Whole run: every step's added passages over every step's seconds. */
  passagesPerSecond: number;
  seconds: number;
  meiliPeakMb: number | null;
  diskMb: number;
  /** Documents in the passage index at the end (what the engine holds). */
  documents: number;
  /** Meilisearch's own time on this run's document batches (its /batches trace), by index. */
  engine?: EngineTime;
}

export interface EngineTime {
  /** Seconds the engine spent on passage batches, and the passages they carried. */
  passageSeconds: number;
  passageDocuments: number;
  /** Engine seconds on the other indexes' document batches (notices, state, terms). */
  otherSeconds: Record<string, number>;
}

interface Batch {
  uid: number;
  duration: string | null;
  details: { receivedDocuments?: number };
  stats: { indexUids: Record<string, number>; types: Record<string, number> };
}

/** ISO 8601 duration as Meilisearch writes it (PT1.5S, PT2M3.1S) → seconds. */
function isoSeconds(d: string | null): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(d ?? '');
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
}

/** Engine index uid → the index it is, live or staging (a full build writes the staging ones). */
const LOGICAL = new Map<string, string>((Object.keys(LIVE) as Array<keyof IndexNames>).flatMap((k) => [[LIVE[k], k], [STAGING[k], k]]));

/** The engine's time on document batches from batch `since` on, read from its /batches trace. */
async function engineTime(engine: Transport, since: number): Promise<EngineTime> {
  const out: EngineTime = { passageSeconds: 0, passageDocuments: 0, otherSeconds: {} };
  let from: number | null | undefined;
  for (;;) {
    const page = await engine.request<{ results: Batch[]; next: number | null }>('GET', `/batches?limit=1000${from != null ? `&from=${from}` : ''}`);
    for (const b of page.results) {
      if (b.uid < since || !Object.keys(b.stats.types).some((t) => t.startsWith('document'))) continue;
      const index = Object.keys(b.stats.indexUids).map((uid) => LOGICAL.get(uid) ?? uid).join(',');
      const secs = isoSeconds(b.duration);
      if (index === 'passages') {
        out.passageSeconds += secs;
        out.passageDocuments += b.details.receivedDocuments ?? 0;
      } else out.otherSeconds[index] = round((out.otherSeconds[index] ?? 0) + secs, 1);
    }
    if (page.next == null || page.results.every((b) => b.uid < since)) break;
    from = page.next;
  }
  out.passageSeconds = round(out.passageSeconds, 1);
  return out;
}

/** Sizes to stop at: 10k, 20k, 50k, 100k, 200k … up to `n` (always ending at n). */
export function stepSizes(n: number): number[] {
  const out: number[] = [];
  for (const s of [10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]) if (s < n) out.push(s);
  out.push(n);
  return out;
}

export async function indexInSteps(options: {
  dataDir: string;
  corpus: Corpus;
  realDir: string;
  steps: number[];
  env: Record<string, string>;
  log: (m: string) => void;
}): Promise<IndexResult> {
  const { corpus, log } = options;
  const config = readConfig({ ...process.env, ...options.env, DATA_DIR: options.dataDir, MEILI_URL: '', MEILI_NETWORK: '' });
  const runtime = await openRuntime(config, () => {});
  // The batch trace is not part of the engine port (the product never reads it): asked raw.
  const trace = createTransport({ url: runtime.supervised!.url, key: runtime.supervised!.key });
  const steps: IndexStep[] = [];
  let notices = 0;
  let total = 0;
  try {
    const first = await trace.request<{ results: Batch[] }>('GET', '/batches?limit=1');
    const since = (first.results[0]?.uid ?? -1) + 1;
    let upto = 0;
    let planned = 0;
    for (const size of options.steps) {
      while (upto < corpus.notices.length && planned < size) planned += corpus.notices[upto++]!.passages.length;
      const paths = [options.realDir, ...corpus.files.slice(0, upto)];
      const inferencesBefore = runtime.embedder?.stats.textsEmbedded ?? 0;
      let lastLog = 0;
      const summary = await runIndex(runtime.engine, runtime.indexContext(), {
        paths,
        onProgress: (p) => {
          if (p.phase === 'index' && performance.now() - lastLog > 15_000) {
            lastLog = performance.now();
            log(`  indexing: ${p.filesDone}/${p.files} files, ${total + p.passages} passages`);
          }
        },
      });
      total += summary.passages;
      notices += summary.notices;
      const step: IndexStep = {
        total,
        added: summary.passages,
        files: summary.indexed,
        seconds: round(summary.seconds, 1),
        passagesPerSecond: Math.round(summary.passages / summary.seconds),
        rebuilt: summary.rebuilt,
      };
      if (runtime.embedder) step.embedded = runtime.embedder.stats.textsEmbedded - inferencesBefore;
      steps.push(step);
      log(`  ${step.rebuilt ? 'built' : 'added'} ${step.added} passages in ${step.seconds} s (${step.passagesPerSecond}/s); ${total} in the index`);
      if (summary.skipped.length) log(`  skipped: ${summary.skipped.slice(0, 3).map((s) => `${s.file}: ${s.reason}`).join('; ')}`);
    }
    const stats = (await runtime.engine.index(LIVE.passages).stats())!;
    const seconds = steps.reduce((s, x) => s + x.seconds, 0);
    return {
      embeddings: Boolean(runtime.embedder),
      steps,
      passages: total,
      notices,
      passagesPerSecond: Math.round(total / seconds),
      seconds: round(seconds, 1),
      meiliPeakMb: memoryOf(runtime.supervised?.pid())?.peakMb ?? null,
      diskMb: mb(diskBytes(path.join(options.dataDir, 'meili', 'data.ms'))),
      documents: stats.numberOfDocuments,
      engine: await engineTime(trace, since),
    };
  } finally {
    trace.close();
    await runtime.close();
  }
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
