/**
 * Which source files hold which notices. A notice's id comes from its text, so one notice
 * republished by two sites or uploaded twice is held by several files at once: it lives while
 * any of them holds it, and lists them all as its `sources`. Its other fields (`source`,
 * `sourceUrl`, the place a site's host lends it) come from one holder, the earliest recorded
 * (lowest `seq`): a later upload repeating a notice adds itself to the list and takes nothing
 * over, and removing it leaves the notice as a run without it would have made it.
 *
 * @example
 * const holdings = createHoldings(recorded);
 * const touched = holdings.set({ id: key, name: 'a.txt', url: null, seq: holdings.nextSeq(), contentHash, path, noticeIds });
 * if (holdings.primary(noticeId)?.id === key) write(noticeId);
 */
import type { NoticeSource } from '../src/documents.ts';

/** One source file as the index run records it (the `state` index keeps these fields). */
export interface Holding {
  /** sourceKey: hash of the file's path. */
  id: string;
  path: string;
  /** The public name: upload name, or the path inside the folder indexed. */
  name: string;
  url: string | null;
  contentHash: string;
  /** Order of first record: the lowest holder of a notice gives its fields. */
  seq: number;
  /** Every notice the file holds, deleted ones included (the delete record decides those). */
  noticeIds: readonly string[];
}

export interface Holdings {
  get(sourceKey: string): Holding | undefined;
  /** Records (or replaces) what a source holds; returns the ids of the notices whose holders changed. */
  set(holding: Holding): string[];
  /** Forgets a source; returns the ids of the notices it held. */
  remove(sourceKey: string): string[];
  /** The holder whose fields a notice shows: the lowest `seq`; undefined when none holds it. */
  primary(noticeId: string): Holding | undefined;
  /** Every holder of a notice as the public sees it, the primary first. */
  sources(noticeId: string): NoticeSource[];
  noticeIds(): IterableIterator<string>;
  /** A `seq` above every recorded one. */
  nextSeq(): number;
}

const order = (a: Holding, b: Holding) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function createHoldings(recorded: Iterable<Holding> = []): Holdings {
  const bySource = new Map<string, Holding>();
  const byNotice = new Map<string, Set<string>>();
  let top = -1;

  const holders = (noticeId: string): Holding[] =>
    [...(byNotice.get(noticeId) ?? [])].map((k) => bySource.get(k) as Holding).sort(order);

  function remove(sourceKey: string): string[] {
    const old = bySource.get(sourceKey);
    if (!old) return [];
    bySource.delete(sourceKey);
    for (const id of old.noticeIds) {
      const set = byNotice.get(id);
      set?.delete(sourceKey);
      if (set?.size === 0) byNotice.delete(id);
    }
    return [...old.noticeIds];
  }

  function set(holding: Holding): string[] {
    const before = remove(holding.id);
    bySource.set(holding.id, holding);
    top = Math.max(top, holding.seq);
    for (const id of holding.noticeIds) {
      let set = byNotice.get(id);
      if (!set) byNotice.set(id, (set = new Set()));
      set.add(holding.id);
    }
    // A source whose notices stay the same still changes them when its name or URL changed.
    return [...new Set([...before, ...holding.noticeIds])];
  }

  for (const h of recorded) set(h);

  return {
    get: (k) => bySource.get(k),
    set,
    remove,
    primary: (id) => holders(id)[0],
    sources: (id) => holders(id).map((h) => ({ name: h.name, url: h.url })),
    noticeIds: () => byNotice.keys(),
    nextSeq: () => top + 1,
  };
}
