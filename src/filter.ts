/**
 * Search filters → a Meilisearch filter expression. Values are validated and quoted here, so no
 * value can change the expression's structure (`四川省" OR province != "x` stays one string).
 */
import { CodedError } from './errors.ts';

export interface Filters {
  province?: string | undefined;
  city?: string | undefined;
  county?: string | undefined;
  level?: string | undefined;
  inspection?: string | undefined;
  year?: number | undefined;
  /** ISO dates, inclusive, on the publish date. */
  from?: string | undefined;
  to?: string | undefined;
}

export const FACETS = ['province', 'city', 'county', 'level', 'year', 'inspection'] as const;
export type Facet = (typeof FACETS)[number];

export class FilterError extends CodedError<'INVALID_PARAMETER'> {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super('INVALID_PARAMETER', message);
    this.name = 'FilterError';
  }
}

export function quote(value: string): string {
  return '"' + value.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

/** Documents with one of these ids. Callers keep the list short (the engine bounds a filter). */
export function idFilter(ids: readonly string[]): string {
  return `id IN [${ids.map(quote).join(', ')}]`;
}

/** Days since 1970-01-01 of an ISO date; the sortable, range-filterable publish date. */
export function isoToDay(iso: string): number {
  return Math.floor(Date.parse(iso + 'T00:00:00Z') / 86_400_000);
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(param: string, v: string): number {
  if (!ISO.test(v) || Number.isNaN(Date.parse(v + 'T00:00:00Z'))) {
    throw new FilterError(param, `${param}: expected a date YYYY-MM-DD (got ${JSON.stringify(v.slice(0, 40))})`);
  }
  return isoToDay(v);
}

/** Clauses joined with AND; `extra` are trusted clauses built by our own code. */
export function buildFilter(filters: Filters, extra: string[] = []): string | undefined {
  const clauses: string[] = [];
  for (const key of ['province', 'city', 'county', 'level', 'inspection'] as const) {
    const v = filters[key];
    if (v === undefined || v === '') continue;
    if (v.length > 100 || /[\u0000-\u001f]/.test(v)) throw new FilterError(key, `${key}: at most 100 printable characters`);
    clauses.push(`${key} = ${quote(v)}`);
  }
  if (filters.year !== undefined) clauses.push(`year = ${filters.year}`);
  if (filters.from) clauses.push(`publishDay >= ${checkDate('from', filters.from)}`);
  if (filters.to) clauses.push(`publishDay <= ${checkDate('to', filters.to)}`);
  clauses.push(...extra);
  return clauses.length ? clauses.join(' AND ') : undefined;
}
