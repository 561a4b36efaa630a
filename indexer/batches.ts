/**
 * Cutting documents into engine batches by size: Meilisearch refuses a request body over its
 * payload limit (413), so no batch the index run writes may grow with the input unbounded.
 */

/** `docs` in order, cut so no chunk's JSON passes `maxBytes` (a single larger document goes alone). */
export function chunksByBytes<T>(docs: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const doc of docs) {
    const size = Buffer.byteLength(JSON.stringify(doc)) + 1;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(doc);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
