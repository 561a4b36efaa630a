/**
 * Query-parameter schemas: one declaration validates requests and generates /openapi.json, so the
 * two cannot disagree.
 */

export type ParamSpec =
  | { type: 'string'; description: string; maxLength: number; pattern?: RegExp; example?: string }
  | { type: 'integer'; description: string; minimum: number; maximum: number; default?: number }
  | { type: 'enum'; description: string; values: readonly string[]; default?: string };

export type Schema = Record<string, ParamSpec>;

type Value<S extends ParamSpec> = S extends { type: 'integer' } ? number : string;
export type Params<S extends Schema> = { [K in keyof S]: S[K] extends { default: unknown } ? Value<S[K]> : Value<S[K]> | undefined };

export class ParamError extends Error {
  readonly code = 'INVALID_PARAMETER';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParamError';
  }
}

export function parseParams<S extends Schema>(schema: S, query: Record<string, string | string[] | undefined>): Params<S> {
  const out: Record<string, string | number | undefined> = {};
  for (const [name, spec] of Object.entries(schema)) {
    let raw = query[name];
    if (Array.isArray(raw)) {
      if (raw.length > 1) throw new ParamError(name, `${name}: given more than once`);
      raw = raw[0];
    }
    if (raw === undefined || raw === '') {
      out[name] = 'default' in spec ? spec.default : undefined;
      continue;
    }
    if (spec.type === 'string') {
      if (raw.length > spec.maxLength) throw new ParamError(name, `${name}: at most ${spec.maxLength} characters (got ${raw.length})`);
      if (spec.pattern && !spec.pattern.test(raw)) throw new ParamError(name, `${name}: does not match ${spec.pattern.source}`);
      out[name] = raw;
    } else if (spec.type === 'integer') {
      const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n)) throw new ParamError(name, `${name}: expected an integer (got ${JSON.stringify(raw.slice(0, 40))})`);
      if (n < spec.minimum || n > spec.maximum) throw new ParamError(name, `${name}: must be from ${spec.minimum} to ${spec.maximum} (got ${n})`);
      out[name] = n;
    } else {
      if (!spec.values.includes(raw)) throw new ParamError(name, `${name}: must be one of ${spec.values.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`);
      out[name] = raw;
    }
  }
  return out as Params<S>;
}

export function openApiParameters(schema: Schema): object[] {
  return Object.entries(schema).map(([name, spec]) => {
    const base = { name, in: 'query', required: false, description: spec.description };
    if (spec.type === 'string') return { ...base, schema: { type: 'string', maxLength: spec.maxLength, ...(spec.pattern ? { pattern: spec.pattern.source } : {}) }, ...(spec.example ? { example: spec.example } : {}) };
    if (spec.type === 'integer') return { ...base, schema: { type: 'integer', minimum: spec.minimum, maximum: spec.maximum, ...(spec.default !== undefined ? { default: spec.default } : {}) } };
    return { ...base, schema: { type: 'string', enum: spec.values, ...(spec.default !== undefined ? { default: spec.default } : {}) } };
  });
}

const text = (description: string, maxLength = 100) => ({ type: 'string', description, maxLength }) as const;

export const filterSchema = {
  province: text('Province, e.g. 四川省'),
  city: text('City, e.g. 遂宁市'),
  county: text('County or district, e.g. 蓬溪县'),
  level: { type: 'enum', description: 'Level of the issuing body', values: ['省', '市', '县', '区', '医院', '其他'] },
  inspection: { type: 'enum', description: 'Inspection type', values: ['巡视', '巡察'] },
  year: { type: 'integer', description: 'Year of the notice', minimum: 1949, maximum: 2100 },
  from: { type: 'string', description: 'Published on or after (YYYY-MM-DD)', maxLength: 10, pattern: /^\d{4}-\d{2}-\d{2}$/ },
  to: { type: 'string', description: 'Published on or before (YYYY-MM-DD)', maxLength: 10, pattern: /^\d{4}-\d{2}-\d{2}$/ },
} as const satisfies Schema;

export const pageSchema = {
  offset: { type: 'integer', description: 'Hits to skip', minimum: 0, maximum: 100_000, default: 0 },
  limit: { type: 'integer', description: 'Hits per page', minimum: 1, maximum: 100, default: 20 },
} as const satisfies Schema;

export const searchSchema = {
  q: { type: 'string', description: 'Terms that must all occur (any order); "quoted phrase" for one term; a | b for either; -term to exclude', maxLength: 200, example: '医共体' },
  ...filterSchema,
  mode: { type: 'enum', description: 'keyword: exact terms; hybrid: exact terms ranked first, then similar meaning; semantic: meaning only', values: ['keyword', 'hybrid', 'semantic'], default: 'keyword' },
  group: { type: 'enum', description: 'One hit per passage or per notice', values: ['passage', 'notice'], default: 'passage' },
  sort: { type: 'enum', description: 'Order of hits', values: ['relevance', 'date'], default: 'relevance' },
  facets: { type: 'string', description: 'Comma-separated facets to count (default all): province,city,county,level,year,inspection; "none" for none', maxLength: 100 },
  ...pageSchema,
} as const satisfies Schema;

export const noticesSchema = { ...filterSchema, ...pageSchema } as const satisfies Schema;

export const similarSchema = {
  ...filterSchema,
  limit: { type: 'integer', description: 'Results', minimum: 1, maximum: 100, default: 10 },
  sameNotice: { type: 'enum', description: 'Include passages of the query passage\'s own notice', values: ['true', 'false'], default: 'false' },
} as const satisfies Schema;

export const feedSchema = {
  q: { type: 'string', description: 'The query followed (same syntax as search); empty for every notice', maxLength: 200, example: '医保基金' },
  ...filterSchema,
  limit: { type: 'integer', description: 'Newest notices listed', minimum: 1, maximum: 50, default: 20 },
} as const satisfies Schema;

export const suggestSchema = {
  q: { type: 'string', description: 'What the user has typed so far: characters or pinyin (yigongti, ygt, 医gt)', maxLength: 50 },
  limit: { type: 'integer', description: 'Suggestions', minimum: 1, maximum: 20, default: 8 },
} as const satisfies Schema;
