/**
 * Assembles what the indexer CLI and the API share: the engine (our own Meilisearch or the one
 * MEILI_URL names), the dictionary, the segmenter and the synonym index.
 */
import type { Config } from '../src/config.ts';
import { createEngine, EngineError, type Engine } from '../src/engine/client.ts';
import { startMeilisearch, type Supervised } from '../src/engine/process.ts';
import { createSegmenter, type Segmenter } from '../src/segment.ts';
import { createSynonymIndex, type SynonymIndex } from '../src/synonyms.ts';
import { loadDictionary, type Dictionary } from './dict-files.ts';
import type { IndexContext } from './run.ts';

export interface Runtime {
  config: Config;
  engine: Engine;
  /** Set when we started the engine ourselves. */
  supervised: Supervised | undefined;
  dict: Dictionary;
  segmenter: Segmenter;
  synonyms: SynonymIndex;
  indexContext(): IndexContext;
  close(): Promise<void>;
}

/** How many central terms of a passage go into its `kw` field and the suggestion vocabulary. */
const KEYWORDS_PER_PASSAGE = 8;

export async function openRuntime(config: Config, log: (m: string) => void = (m) => console.error(m)): Promise<Runtime> {
  const dict = loadDictionary();
  const segmenter = createSegmenter({ userDictPath: dict.userDictPath, stopWords: dict.stopWords });
  const synonyms = createSynonymIndex(dict.synonyms);

  let supervised: Supervised | undefined;
  let engine: Engine;
  if (config.meiliUrl) {
    engine = createEngine({ url: config.meiliUrl, key: config.meiliKey });
    try {
      await engine.request('GET', '/health', undefined, 5_000);
    } catch (e) {
      throw new EngineError('ENGINE_UNAVAILABLE', `MEILI_URL=${config.meiliUrl} does not answer: ${(e as Error).message}`);
    }
  } else {
    supervised = await startMeilisearch({ dataDir: config.dataDir, port: config.meiliPort, log });
    engine = createEngine({ url: supervised.url, key: supervised.key });
  }

  return {
    config,
    engine,
    supervised,
    dict,
    segmenter,
    synonyms,
    indexContext: () => ({
      dictHash: dict.hash,
      synonyms,
      keywords: (text) => segmenter.keywords(text, KEYWORDS_PER_PASSAGE),
    }),
    async close() {
      engine.close();
      await supervised?.stop();
    },
  };
}
