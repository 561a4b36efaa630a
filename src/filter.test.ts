import { describe, expect, it } from 'vitest';
import { buildFilter, FilterError, quote } from './filter.ts';

describe('buildFilter', () => {
  it('quotes every value so that it stays one string', () => {
    expect(quote('四川省" OR province != "x')).toBe('"四川省\\" OR province != \\"x"');
    expect(buildFilter({ province: '四川省" OR province != "x' })).toBe('province = "四川省\\" OR province != \\"x"');
    expect(buildFilter({ county: 'a\\" OR 1' })).toBe('county = "a\\\\\\" OR 1"');
  });
  it('joins clauses with AND and turns dates into days', () => {
    expect(buildFilter({ province: '四川省', year: 2025, from: '2025-01-01' })).toBe('province = "四川省" AND year = 2025 AND publishDay >= 20089');
    expect(buildFilter({})).toBeUndefined();
  });
  it('rejects bad dates and control characters naming the parameter', () => {
    expect(() => buildFilter({ from: '2025-13-45' })).toThrowError(FilterError);
    expect(() => buildFilter({ city: 'a\nb' })).toThrow(/city/);
  });
});
