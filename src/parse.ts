/**
 * Parse: the pure pipeline from a file's bytes to its notices — ingest → split → structure →
 * enrich. No I/O here: indexer/ reads the files, api/ receives uploads, both hand over bytes.
 *
 * @example
 * const result = await parseFile('000_5a1fc9c7415e11bf.txt', bytes);
 * if (result.ok) for (const n of result.notices) console.log(n.title, n.county, n.passages.length);
 * else console.warn(`${result.source}: skipped (${result.reason}) ${result.detail}`);
 */
import { enrich, LINK_KEYS } from './enrich.ts';
import { createHostPlaces, type HostPlaces } from './host.ts';
import { ingest, ingestFile, type Format, type IngestResult, type SkipReason, type SourceDoc } from './ingest/index.ts';
import type { Notice } from './notice.ts';
import { createGazetteer, type Gazetteer } from './region.ts';
import { htmlPageUrl, takeUrlLine, type UrlLine } from './source-url.ts';
import { split } from './split.ts';
import { structure, type StructureOptions } from './structure.ts';

export interface ParseOptions {
  /** Shared across calls; building it reads the gazetteer once (about half a second). */
  gazetteer: Gazetteer;
  /** Reads places from site hosts; built from the gazetteer on first use when not given. */
  hostPlaces: HostPlaces;
  structure: Partial<StructureOptions>;
  /**
   * The page's URL (an upload's `url`, `npm run index --url`); it wins over a `URL:` first line
   * in the file. Every notice of the file gets it as its sourceUrl.
   */
  url: string | null;
}

export type ParseResult =
  | { ok: true; source: string; format: Format; encoding: string; notices: Notice[] }
  | { ok: false; source: string; reason: SkipReason; detail: string };

let sharedGazetteer: Gazetteer | null = null;
const sharedHosts = new WeakMap<Gazetteer, HostPlaces>();

/** The gazetteer parse uses when none is passed, built on first use. */
export function defaultGazetteer(): Gazetteer {
  sharedGazetteer ??= createGazetteer();
  return sharedGazetteer;
}

function hostPlacesOf(gazetteer: Gazetteer): HostPlaces {
  let places = sharedHosts.get(gazetteer);
  if (places === undefined) {
    places = createHostPlaces(gazetteer);
    sharedHosts.set(gazetteer, places);
  }
  return places;
}

/** The notices of an ingested page. */
export function parseDocument(doc: SourceDoc, options: Partial<ParseOptions> = {}): Notice[] {
  const gazetteer = options.gazetteer ?? defaultGazetteer();
  const url = options.url ?? null;
  // The host index is built only for pages that have a URL.
  const hostPlaces = url === null && !LINK_KEYS.some((k) => doc.meta[k] !== undefined) ? undefined : (options.hostPlaces ?? hostPlacesOf(gazetteer));
  return split(doc)
    .filter((draft) => draft.paragraphs.length > 0)
    .map((draft) => enrich(draft, structure(draft.paragraphs, options.structure), { gazetteer, hostPlaces, url }));
}

/**
 * Parses one file. `name` is how the file is known (a path relative to the indexed root, or an
 * upload's name): it picks the format by extension and becomes each notice's source. Async
 * because PDF and Word files are read by asynchronous libraries.
 */
export async function parseFile(name: string, bytes: Uint8Array, options: Partial<ParseOptions> = {}): Promise<ParseResult> {
  const line = takeUrlLine(bytes);
  return parsed(name, line, await ingestFile(name, line.bytes), options);
}

/** parseFile for a page (.txt, .html, .md), synchronously: what needs no PDF or Word reader. */
export function parsePage(name: string, bytes: Uint8Array, options: Partial<ParseOptions> = {}): ParseResult {
  const line = takeUrlLine(bytes);
  return parsed(name, line, ingest(name, line.bytes), options);
}

function parsed(name: string, line: UrlLine, ingested: IngestResult, options: Partial<ParseOptions>): ParseResult {
  if (!ingested.ok) return { ok: false, source: name, reason: ingested.skipped.reason, detail: ingested.skipped.detail };
  const { doc } = ingested;
  const url = options.url ?? line.url ?? (doc.format === 'html' ? htmlPageUrl(line.bytes) : null);
  const notices = parseDocument(doc, { ...options, url });
  if (notices.length === 0) return { ok: false, source: name, reason: 'no-text', detail: 'no notice text was found in the file' };
  return { ok: true, source: name, format: doc.format, encoding: doc.encoding, notices };
}
