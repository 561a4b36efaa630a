/**
 * Where a document lives on a network of nodes: a notice and all its passages on one node,
 * chosen by rendezvous hashing of the notice id over the node names. Pure functions.
 */

/** 32-bit FNV-1a with a murmur finalizer: fast, stable across versions, well spread. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The node that holds a shard key: the name with the highest hash of (name, key) (rendezvous
 * hashing). Depends only on the set of names, not on their order in MEILI_NETWORK.
 */
export function placeOf(shardKey: string, names: readonly string[]): number {
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < names.length; i++) {
    const score = hash32(`${names[i]}\u0000${shardKey}`);
    if (score > bestScore || (score === bestScore && names[i]! < names[best]!)) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** Documents of one notice stay together: a passage goes where its notice goes. */
function shardKeyOf(doc: { id: string; noticeId?: unknown }): string {
  return typeof doc.noticeId === 'string' ? doc.noticeId : doc.id;
}

/** The documents each node gets, by node index. */
export function placeDocuments<D extends { id: string }>(docs: readonly D[], names: readonly string[]): D[][] {
  const split: D[][] = names.map(() => []);
  for (const d of docs) split[placeOf(shardKeyOf(d), names)]!.push(d);
  return split;
}
