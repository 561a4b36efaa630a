/**
 * Index settings, created by code on every index run. The engine's own Chinese handling
 * (dictionary, synonyms, stop words, typos, prefix segments) is switched off: exactness comes
 * from grams.ts, synonyms from synonyms.ts, and data/dict/ drives both through re-indexing.
 */
import { FACETS } from './filter.ts';
import { PASSAGE_FIELDS } from './documents.ts';
import { DIMENSIONS } from './embed.ts';
import type { IndexSettings } from './engine/port.ts';

export const INDEX = { passages: 'passages', notices: 'notices', state: 'state', terms: 'terms' } as const;

const common = {
  typoTolerance: { enabled: false },
  stopWords: [] as string[],
  synonyms: {},
  dictionary: [] as string[],
  // Code words are lower-case Latin letters; a fixed locale keeps language detection from
  // applying any language-specific segmentation to them.
  localizedAttributes: [{ attributePatterns: ['kw', 'grams', 'syn'], locales: ['eng'] }],
  pagination: { maxTotalHits: 10_000_000 },
  faceting: { maxValuesPerFacet: 5_000, sortFacetValuesBy: { '*': 'count' } },
  // Nothing here searches facet values (no /facet-search): not building that index makes
  // indexing about a quarter faster (npm run bench).
  facetSearch: false,
} satisfies IndexSettings;

export const passageSettings = {
  ...common,
  searchableAttributes: ['kw', 'grams', 'syn'],
  displayedAttributes: [...PASSAGE_FIELDS],
  filterableAttributes: [...FACETS, 'id', 'noticeId', 'publishDay'],
  sortableAttributes: ['publishDay', 'position'],
  // sort=date orders strictly by date; otherwise passages whose keywords carry the term come
  // first, then by where it occurs, then newest.
  rankingRules: ['words', 'sort', 'attribute', 'proximity', 'exactness', 'publishDay:desc', 'position:asc'],
  proximityPrecision: 'byWord',
} satisfies IndexSettings;

/** The passage index's embedder: vectors come from our own model (`_vectors.bge` on each passage). */
export const EMBEDDER = 'bge';

/**
 * Added to the passage settings when passages carry vectors. Without it the index has no
 * embedder at all, so a run without the model builds exactly the keyword index. (Meilisearch
 * refuses a document that lacks `_vectors.bge` once the embedder exists, and refuses to add the
 * embedder to an index holding such documents: switching is always a full rebuild, which the
 * build hash makes happen.)
 */
export const vectorSettings = {
  embedders: { [EMBEDDER]: { source: 'userProvided', dimensions: DIMENSIONS } },
} as const satisfies IndexSettings;

export const noticeSettings = {
  ...common,
  searchableAttributes: ['title', 'org'],
  filterableAttributes: [...FACETS, 'id', 'publishDay'],
  sortableAttributes: ['publishDay'],
  rankingRules: ['words', 'sort', 'attribute', 'exactness', 'publishDay:desc'],
  localizedAttributes: [],
} satisfies IndexSettings;

/**
 * The index run's own records (which files are in), never searched by text. With the
 * engine's defaults (facet search, typo tolerance, prefixes, every field searchable) each write
 * of even one record cost ~2.4 s of engine time on a 440-record index, against ~30 ms with
 * these (measured from Meilisearch's /batches trace; npm run bench, indexing).
 */
export const stateSettings = {
  searchableAttributes: ['kind'],
  filterableAttributes: ['kind'],
  typoTolerance: { enabled: false },
  facetSearch: false,
  prefixSearch: 'disabled',
} satisfies IndexSettings;

/**
 * Vocabulary for suggestions: terms found in passages, by how many passages hold them, searched
 * by their characters (`grams`) or by their pinyin keys (`py`, see pinyin.ts).
 */
export const termSettings = {
  ...common,
  searchableAttributes: ['grams', 'py'],
  displayedAttributes: ['term', 'weight'],
  sortableAttributes: ['weight'],
  // Terms that start with what was typed come first (word position), then a pinyin key typed
  // whole before one typed in part, then the commonest.
  rankingRules: ['words', 'attribute', 'exactness', 'weight:desc'],
  localizedAttributes: [{ attributePatterns: ['grams', 'py'], locales: ['eng'] }],
  proximityPrecision: 'byWord',
} satisfies IndexSettings;
