import { describe, expect, it } from 'vitest';
import { chunksByBytes } from './batches.ts';

describe('documents cut by bytes', () => {
  const docs = Array.from({ length: 10 }, (_, i) => ({ id: String(i), text: '医'.repeat(100) }));
  const size = Buffer.byteLength(JSON.stringify(docs[0])) + 1;

  it('keeps every document, in order, each chunk within the bound', () => {
    const chunks = chunksByBytes(docs, size * 3);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flat()).toEqual(docs);
  });

  it('sends a document larger than the bound alone, and nothing for nothing', () => {
    expect(chunksByBytes(docs.slice(0, 2), 10).map((c) => c.length)).toEqual([1, 1]);
    expect(chunksByBytes([], 10)).toEqual([]);
  });
});
