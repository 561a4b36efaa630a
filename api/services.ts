/**
 * What the routes call: search, documents, and index runs, one index run at a time.
 */
import { mkdirSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { quote } from '../src/filter.ts';
import { createSearcher } from '../src/search.ts';
import { INDEX } from '../src/settings.ts';
import { createSimilar, SimilarError, type SimilarRequest, type SimilarResponse } from '../src/similar.ts';
import { createSemanticSearch } from '../src/semantic.ts';
import { isContentTerm } from '../src/segment.ts';
import { suggest } from '../src/suggest.ts';
import { getDocument } from '../src/engine/indexes.ts';
import { runIndex, type IndexOptions, type IndexSummary } from '../indexer/run.ts';
import type { Runtime } from '../indexer/runtime.ts';
import type { Services } from './app.ts';
import { ApiError } from './errors.ts';

export interface ServiceOptions {
  /** Folders indexed at start and by a rebuild (the bundled corpus). */
  corpus: string[];
  version: string;
  log?: (m: string) => void;
}

export interface RunningServices extends Services {
  /** Indexes the corpus and uploads if anything changed; the API answers searches after this. */
  start(onProgress?: IndexOptions['onProgress']): Promise<IndexSummary>;
  uploadsDir: string;
}

export function createServices(runtime: Runtime, options: ServiceOptions): RunningServices {
  const { engine } = runtime;
  const uploadsDir = path.join(runtime.config.dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const roots = [...options.corpus, uploadsDir];
  let ready = false;
  let queue: Promise<unknown> = Promise.resolve();

  /** Index runs share the staging indexes and the state: never two at once. */
  function exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  }

  const index = (opts: IndexOptions) => exclusive(() => runIndex(engine, runtime.indexContext(), opts));
  const searcher = createSearcher(engine, () => runtime.synonyms);

  return {
    engine,
    uploadsDir,
    version: options.version,
    searcher,
    ...meaningServices(runtime, searcher),
    ready: () => ready,
    async start(onProgress) {
      const summary = await index({ paths: roots, prune: true, onProgress });
      ready = true;
      return summary;
    },
    async upload(files) {
      const written: string[] = [];
      const urls = new Map<string, string>();
      for (const f of files) {
        const target = path.join(uploadsDir, path.basename(f.name));
        // Written whole or not at all: a crash never leaves half a file to index.
        await writeFile(target + '.part', f.bytes);
        await rename(target + '.part', target);
        written.push(target);
        if (f.url !== undefined) urls.set(target, f.url);
      }
      return index({ paths: written, urls });
    },
    async deleteNotice(id) {
      return exclusive(async () => {
        if (!(await getDocument(engine, INDEX.notices, id))) return false;
        const filter = `noticeId = ${quote(id)}`;
        await engine.wait(await engine.request('POST', `/indexes/${INDEX.passages}/documents/delete`, { filter }));
        await engine.wait(await engine.request('POST', `/indexes/${INDEX.notices}/documents/delete-batch`, [id]));
        return true;
      });
    },
    reindex: () => index({ paths: roots, rebuild: true }),
    suggest: (q, limit) => suggest(engine, q, limit),
  };
}

/**
 * Similar-measure search and hybrid/semantic search, when the embedding model is loaded. Without
 * it (EMBEDDINGS=off) the routes answer 503 MODEL_UNAVAILABLE; with a model that failed to load,
 * they answer 503 with its own code (MODEL_CORRUPT, …) and what to do.
 */
function meaningServices(runtime: Runtime, searcher: Services['searcher']): Pick<Services, 'similar' | 'semantic'> {
  const { embedder, modelError, segmenter, dict } = runtime;
  if (!embedder) {
    if (!modelError) return {};
    const fail = async (): Promise<never> => {
      throw modelError;
    };
    return { similar: fail, semantic: fail };
  }
  const terms = (normText: string) => segmenter.cutForSearch(normText).filter((w) => isContentTerm(w) && !dict.stopWords.has(w));
  const similar = createSimilar(runtime.engine, embedder, { terms });
  const semantic = createSemanticSearch(runtime.engine, searcher, similar, () => runtime.synonyms);
  return {
    async similar(req: SimilarRequest): Promise<SimilarResponse> {
      try {
        return await similar.search(req);
      } catch (e) {
        if (e instanceof SimilarError) throw new ApiError(e.code === 'PASSAGE_NOT_FOUND' ? 404 : 503, e.code === 'PASSAGE_NOT_FOUND' ? 'NOT_FOUND' : e.code, e.message);
        throw e;
      }
    },
    semantic: (mode, req) => semantic.search(mode, req),
  };
}
