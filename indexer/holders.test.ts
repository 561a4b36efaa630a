import { describe, expect, it } from 'vitest';
import { createHoldings, type Holding } from './holders.ts';

const holding = (id: string, seq: number, noticeIds: string[], url: string | null = null): Holding => ({ id, path: `/data/${id}`, name: `${id}.txt`, url, contentHash: `h-${id}`, seq, noticeIds });

describe('holdings', () => {
  it('keeps a notice held by two files as one, its fields from the earlier, both listed', () => {
    const holdings = createHoldings([holding('corpus', 0, ['n1', 'n2'])]);
    expect(holdings.set(holding('upload', 1, ['n2'], 'https://a.example/x'))).toEqual(['n2']);
    expect(holdings.primary('n2')?.id).toBe('corpus');
    expect(holdings.sources('n2')).toEqual([{ name: 'corpus.txt', url: null }, { name: 'upload.txt', url: 'https://a.example/x' }]);
  });

  it('keeps the notice while another file holds it, and lets it go with its last holder', () => {
    const holdings = createHoldings([holding('corpus', 0, ['n1', 'n2']), holding('upload', 1, ['n2'])]);
    expect(holdings.remove('corpus')).toEqual(['n1', 'n2']);
    expect(holdings.primary('n1')).toBeUndefined();
    expect(holdings.primary('n2')?.id).toBe('upload');
    expect(holdings.remove('upload')).toEqual(['n2']);
    expect([...holdings.noticeIds()]).toEqual([]);
  });

  it('reports the notices a changed file dropped and gained, and gives the next seq', () => {
    const holdings = createHoldings([holding('a', 3, ['n1', 'n2'])]);
    expect(holdings.set(holding('a', 3, ['n2', 'n3'])).sort()).toEqual(['n1', 'n2', 'n3']);
    expect(holdings.primary('n1')).toBeUndefined();
    expect(holdings.nextSeq()).toBe(4);
  });
});
