import { describe, expect, it } from 'vitest';
import { placeDocuments, placeOf } from './placement.ts';
import { sumFacets } from './federation.ts';

describe('placement', () => {
  const names = ['a', 'b', 'c'];
  const keys = Array.from({ length: 3000 }, (_, i) => `notice-${i}`);

  it('spreads notices evenly and does not depend on the order nodes are listed in', () => {
    const counts = [0, 0, 0];
    for (const k of keys) counts[placeOf(k, names)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
    const reversed = [...names].reverse();
    for (const k of keys) expect(reversed[placeOf(k, reversed)]).toBe(names[placeOf(k, names)]);
  });

  it('moves only the new node’s share when a node is added', () => {
    const more = [...names, 'd'];
    const moved = keys.filter((k) => names[placeOf(k, names)] !== more[placeOf(k, more)]);
    expect(moved.every((k) => more[placeOf(k, more)] === 'd')).toBe(true);
    expect(moved.length).toBeGreaterThan(500);
    expect(moved.length).toBeLessThan(1000);
  });
});

describe('documents of one notice', () => {
  it('go to the node of their notice', () => {
    const docs = [{ id: 'n1' }, { id: 'p1', noticeId: 'n1' }, { id: 'p2', noticeId: 'n1' }, { id: 'n2' }, { id: 'p3', noticeId: 'n2' }];
    const split = placeDocuments(docs, ['a', 'b', 'c']);
    const nodeOf = (id: string) => split.findIndex((s) => s.some((d) => d.id === id));
    expect(nodeOf('p1')).toBe(nodeOf('n1'));
    expect(nodeOf('p2')).toBe(nodeOf('n1'));
    expect(nodeOf('p3')).toBe(nodeOf('n2'));
    expect(split.flat()).toHaveLength(docs.length);
  });
});

describe('merged facet counts', () => {
  it('add up across nodes, highest count first, at most the facet limit', () => {
    const merged = sumFacets([{ province: { 四川省: 3, 江西省: 1 } }, undefined, { province: { 江西省: 4, 广东省: 1 }, year: { '2024': 2 } }], 2);
    expect(merged).toEqual({ province: { 江西省: 5, 四川省: 3 }, year: { '2024': 2 } });
    expect(Object.keys(merged.province!)).toEqual(['江西省', '四川省']);
  });
});
