import { describe, expect, expectTypeOf, it } from 'vitest';
import { idSchema, parseParams, searchSchema, similarBodySchema, uploadBodySchema } from './params.ts';

describe('query parameters', () => {
  it('parses with defaults, enum values typed as their literal unions', () => {
    const p = parseParams(searchSchema, { q: ['医共体'], mode: ['hybrid'], limit: ['5'] });
    expect(p).toMatchObject({ q: '医共体', mode: 'hybrid', group: 'passage', sort: 'relevance', offset: 0, limit: 5 });
    expectTypeOf(p.mode).toEqualTypeOf<'keyword' | 'hybrid' | 'semantic'>();
    expectTypeOf(p.level).toEqualTypeOf<'省' | '市' | '县' | '区' | '医院' | '其他' | undefined>();
  });

  it('refuses a parameter given twice, naming it', () => {
    expect(() => parseParams(searchSchema, { q: ['a', 'b'] })).toThrow(/^q: given more than once/);
  });
});

describe('the id parameter', () => {
  it('takes letters, digits, _ and - only', () => {
    expect(parseParams(idSchema, { id: 'a1_b-2' }).id).toBe('a1_b-2');
    expect(() => parseParams(idSchema, { id: 'bad id' })).toThrow('id: letters, digits, _ and - only');
  });
});

describe('a JSON body (POST /api/similar)', () => {
  it('parses text, limit and nested filters by the same schemas as query parameters', () => {
    const b = parseParams(similarBodySchema, { text: '村卫生室', filters: { province: '四川省', year: 2024, level: '县' } }, 'json');
    expect(b).toEqual({
      text: '村卫生室',
      limit: 10,
      filters: { province: '四川省', city: undefined, county: undefined, level: '县', inspection: undefined, year: 2024, from: undefined, to: undefined },
    });
    expectTypeOf(b.filters.level).toEqualTypeOf<'省' | '市' | '县' | '区' | '医院' | '其他' | undefined>();
    expectTypeOf(b.text).toEqualTypeOf<string>();
  });

  it.each([
    [{}, /^text: a non-empty string is required/],
    [{ text: '   ' }, /^text: a non-empty string is required/],
    [{ text: 5 }, /^text: expected a string/],
    [{ text: '医'.repeat(2001) }, /^text: at most 2000 characters/],
    [{ text: 'x', limit: 0 }, /^limit: must be from 1 to 100/],
    [{ text: 'x', limit: 1.5 }, /^limit: expected an integer/],
    [{ text: 'x', filters: [] }, /^filters: an object such as/],
    [{ text: 'x', filters: { color: 'red' } }, /^filters\.color: unknown; known: province/],
    [{ text: 'x', filters: { level: '村' } }, /^filters\.level: must be one of/],
  ])('%j is refused with a message naming the field', (body, message) => {
    expect(() => parseParams(similarBodySchema, body, 'json')).toThrow(message);
  });
});

describe('values that look valid but are not', () => {
  it('refuses a date that does not exist', () => {
    expect(parseParams(searchSchema, { from: ['2024-02-29'] }).from).toBe('2024-02-29');
    expect(() => parseParams(searchSchema, { from: ['2024-02-30'] })).toThrow(/^from: a date that exists/);
    expect(() => parseParams(searchSchema, { to: ['2023-02-29'] })).toThrow(/^to: a date that exists/);
    expect(() => parseParams(searchSchema, { to: ['2024-13-01'] })).toThrow(/^to: a date that exists/);
  });

  it('refuses prototype keys in a JSON body and its filters', () => {
    for (const body of ['{"text":"x","filters":{"toString":"a"}}', '{"text":"x","filters":{"__proto__":{"province":"a"}}}', '{"text":"x","constructor":"a"}', '{"text":"x","__proto__":{"limit":5}}']) {
      expect(() => parseParams(similarBodySchema, JSON.parse(body), 'json'), body).toThrow(/unknown; known/);
    }
  });
});

describe('the upload body schema', () => {
  it('keeps an empty content (an empty file, skipped by the index run) but refuses a missing one', () => {
    expect(parseParams(uploadBodySchema, { name: 'a.txt', content: '' }, 'json')).toEqual({ name: 'a.txt', content: '', encoding: 'utf-8', url: undefined });
    expect(() => parseParams(uploadBodySchema, { name: 'a.txt' }, 'json')).toThrow('content: a string is required');
    expect(() => parseParams(uploadBodySchema, { name: '', content: 'x' }, 'json')).toThrow('name: a non-empty string is required');
  });
});
