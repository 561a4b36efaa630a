/**
 * Start-up wiring, shared by `npm start` (api/main.ts), the index CLI (indexer/cli.ts), the
 * tests, the eval and the bench: the engine (our own Meilisearch, the one MEILI_URL names, or
 * the nodes MEILI_NETWORK names), the dictionary, the segmenter, the synonym index and the
 * embedding model (indexer/vectors.ts), opened once from the config and closed together.
 */
import { deletesFile, readDeletes } from '../indexer/deletes.ts';
import type { Config } from '../src/config.ts';
import { createEngine, EngineError } from '../src/engine/client.ts';
import type { Engine } from '../src/engine/port.ts';
import { startMeilisearch, type Supervised } from '../src/engine/process.ts';
import { openNetwork } from '../src/engine/network.ts';
import { createSegmenter, type Segmenter } from '../src/segment.ts';
import { createSynonymIndex, type SynonymIndex } from '../src/synonyms.ts';
import { loadDictionary, type Dictionary } from '../indexer/dict-files.ts';
import type { IndexContext } from '../indexer/run.ts';
import { openVectorStage, type VectorStage } from '../indexer/vectors.ts';

export interface Runtime {
  config: Config;
  engine: Engine;
  /** Set when we started the engine ourselves. */
  supervised: Supervised | undefined;
  dict: Dictionary;
  segmenter: Segmenter;
  synonyms: SynonymIndex;
  /** The embedding model, when EMBEDDINGS=on and it is good (indexer/vectors.ts). */
  embedder: VectorStage['embedder'];
  /** Why there is no embedder although EMBEDDINGS=on; logged at start, answered by the routes that need it. */
  modelError: VectorStage['error'];
  indexContext(): IndexContext;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Progress bars on stderr (the CLIs); off for tests. */
  progress?: boolean;
}

/** How many central terms of a passage go into its `kw` field and the suggestion vocabulary. */
const KEYWORDS_PER_PASSAGE = 8;

export async function openRuntime(config: Config, log: (m: string) => void = (m) => console.error(m), options: RuntimeOptions = {}): Promise<Runtime> {
  const dict = loadDictionary();
  const segmenter = createSegmenter({ userDictPath: dict.userDictPath, stopWords: dict.stopWords });
  const synonyms = createSynonymIndex(dict.synonyms);

  let supervised: Supervised | undefined;
  let engine: Engine;
  if (config.meiliNetwork) {
    // Several nodes (docs/scaling.md): joined with Meilisearch's network feature, none started here.
    engine = await openNetwork({ nodes: config.meiliNetwork, log });
  } else if (config.meiliUrl) {
    engine = createEngine({ url: config.meiliUrl, key: config.meiliKey });
    try {
      await engine.health(5_000);
    } catch (e) {
      throw new EngineError('ENGINE_UNAVAILABLE', `MEILI_URL=${config.meiliUrl} does not answer: ${(e as Error).message}`);
    }
  } else {
    supervised = await startMeilisearch({ dataDir: config.dataDir, port: config.meiliPort, log, payloadLimit: config.meiliPayloadLimit, logBytes: config.meiliLogBytes });
    const own = supervised;
    engine = createEngine({ url: supervised.url, key: supervised.key, fault: () => own.fault() });
  }

  let vectors: VectorStage;
  try {
    vectors = await openVectorStage(config, log, { progress: options.progress });
  } catch (e) {
    engine.close();
    await supervised?.stop();
    throw e;
  }

  return {
    config,
    engine,
    supervised,
    dict,
    segmenter,
    synonyms,
    embedder: vectors.embedder,
    modelError: vectors.error,
    indexContext: () => ({
      dictHash: dict.hash,
      synonyms,
      keywords: (text) => segmenter.keywords(text, KEYWORDS_PER_PASSAGE),
      domainTerms: dict.words,
      batchBytes: config.indexBatchBytes,
      deleted: readDeletes(deletesFile(config.dataDir)),
      ...vectors.context(),
    }),
    async close() {
      await vectors.close();
      engine.close();
      await supervised?.stop();
    },
  };
}
