/**
 * Brings the notice documents in line with what the recorded sources hold (indexer/holders.ts)
 * and the delete record: a notice no source holds any more, or deleted, goes with its passages;
 * a notice whose fields came from a holder that no longer holds it is written again from the one
 * that now gives them; a notice whose holders changed lists them again. Each run reconciles
 * the notices it touched; a start and a rebuild reconcile every notice, which also mends what a
 * run killed between its writes left behind.
 */
import type { Engine } from '../src/engine/port.ts';
import type { NoticeDoc, NoticeSource, PassageDoc } from '../src/documents.ts';
import { idFilter, quote } from '../src/filter.ts';
import type { IndexNames } from '../src/indexes.ts';
import { chunksByBytes } from './batches.ts';
import type { Holding, Holdings } from './holders.ts';

export interface ReconcileOptions {
  holdings: Holdings;
  deleted: ReadonlySet<string>;
  /** The notice ids to check; `all`: every notice held or in the index. */
  scope: ReadonlySet<string> | 'all';
  batchBytes: number;
  /** Writes the documents of these notices again from the file of `holding`. */
  rewrite: (holding: Holding, ids: ReadonlySet<string>) => Promise<void>;
}

export interface Reconciled {
  /** Notices removed: held by no source, or deleted. */
  removed: number;
  /** Notices written again from another holder. */
  rewritten: number;
  /** Notices whose list of sources was written again. */
  relisted: number;
}

type Bookkeeping = Pick<NoticeDoc, 'id' | 'sourceKey' | 'contentHash' | 'sources'>;

const PAGE = 1000;
/** The passage index's maxValuesPerFacet (settings.ts): a facet answer this long may be cut. */
const FACET_VALUES = 5000;
/** Ids per `id IN [...]` filter: keeps a filter far below the engine's limits. */
const IDS_PER_FILTER = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Every notice id passages name: passages can be in without their notice (a run killed between
 * the two writes, and its file gone since). One facet answer when it is whole, else by pages.
 */
async function passageNotices(engine: Engine, uid: string): Promise<string[]> {
  const passages = engine.index<PassageDoc>(uid);
  const res = await passages.search({ q: '', limit: 0, facets: ['noticeId'] });
  const ids = Object.keys(res.facetDistribution?.noticeId ?? {});
  if (ids.length < FACET_VALUES) return ids;
  const all = new Set<string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await passages.fetchDocuments({ fields: ['noticeId'], limit: PAGE, offset });
    for (const p of page.results) all.add(p.noticeId);
    if (page.results.length < PAGE) return [...all];
  }
}

function sameSources(a: readonly NoticeSource[] | undefined, b: readonly NoticeSource[]): boolean {
  return a !== undefined && a.length === b.length && a.every((s, i) => s.name === b[i]?.name && s.url === b[i]?.url);
}

export async function reconcile(engine: Engine, names: IndexNames, o: ReconcileOptions): Promise<Reconciled> {
  const notices = engine.index<NoticeDoc>(names.notices);
  const fields = ['id', 'sourceKey', 'contentHash', 'sources'] as const;
  const stored = new Map<string, Bookkeeping>();
  let ids: string[];
  if (o.scope === 'all') {
    for (let offset = 0; ; offset += PAGE) {
      const page = await notices.fetchDocuments({ fields, limit: PAGE, offset });
      for (const d of page.results) stored.set(d.id, d);
      if (page.results.length < PAGE) break;
    }
    ids = [...new Set([...stored.keys(), ...o.holdings.noticeIds(), ...(await passageNotices(engine, names.passages))])];
  } else {
    ids = [...o.scope];
    for (const chunk of chunks(ids, IDS_PER_FILTER)) {
      const page = await notices.fetchDocuments({ filter: idFilter(chunk), fields, limit: chunk.length });
      for (const d of page.results) stored.set(d.id, d);
    }
  }

  const orphans: string[] = [];
  const rewrite = new Map<string, { holding: Holding; ids: Set<string> }>();
  const relist: string[] = [];
  for (const id of ids) {
    const holder = o.deleted.has(id) ? undefined : o.holdings.primary(id);
    const doc = stored.get(id);
    if (!holder) {
      // Passages may be in without their notice (a run killed between the two writes): cleared by id either way.
      orphans.push(id);
    } else if (!doc || doc.sourceKey !== holder.id || doc.contentHash !== holder.contentHash) {
      const entry = rewrite.get(holder.id) ?? { holding: holder, ids: new Set<string>() };
      entry.ids.add(id);
      rewrite.set(holder.id, entry);
    } else if (!sameSources(doc.sources, o.holdings.sources(id))) {
      relist.push(id);
    }
  }

  for (const chunk of chunks(orphans, IDS_PER_FILTER)) {
    await engine.wait(await engine.index<PassageDoc>(names.passages).deleteByFilter(`noticeId IN [${chunk.map(quote).join(', ')}]`));
    await engine.wait(await notices.deleteDocuments(chunk));
  }
  for (const { holding, ids: held } of rewrite.values()) await o.rewrite(holding, held);
  for (const chunk of chunks(relist, IDS_PER_FILTER)) {
    const page = await notices.fetchDocuments({ filter: idFilter(chunk), limit: chunk.length });
    const docs = page.results.map((d) => ({ ...d, sources: o.holdings.sources(d.id) }));
    for (const part of chunksByBytes(docs, o.batchBytes)) await engine.wait(await notices.addDocuments(part));
  }
  return { removed: orphans.length, rewritten: [...rewrite.values()].reduce((n, e) => n + e.ids.size, 0), relisted: relist.length };
}
