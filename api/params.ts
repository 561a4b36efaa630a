/**
 * Request schemas: one declaration validates a request (query parameters, path parameters or a
 * JSON body) and generates /openapi.json, so the two cannot disagree. Parsed values are typed by
 * the schema, enum values as their literal unions, so routes use them without casts.
 */
import { httpUrl } from '../src/enrich.ts';
import { CodedError } from '../src/errors.ts';

export type ParamSpec =
  /** `emptyAllowed`: "" is a value (an empty file's content), not an absent one. */
  | { type: 'string'; description: string; maxLength: number; pattern?: RegExp; patternMessage?: string; valid?: (value: string) => boolean; required?: true; emptyAllowed?: true; example?: string }
  | { type: 'integer'; description: string; minimum: number; maximum: number; default?: number }
  | { type: 'enum'; description: string; values: readonly string[]; default?: string }
  /** A JSON object of its own schema (JSON bodies only); absent means `{}`, unknown keys are refused. */
  | { type: 'object'; description: string; schema: Schema; example: Record<string, unknown> };

export type Schema = { readonly [name: string]: ParamSpec };

type Value<S extends ParamSpec> = S extends { type: 'integer' }
  ? number
  : S extends { type: 'enum'; values: ReadonlyArray<infer V> }
    ? V
    : S extends { type: 'object'; schema: infer T extends Schema }
      ? Params<T>
      : string;

/** A spec whose value is always there: a default, required, or an object. */
type Present = { default: unknown } | { required: true } | { type: 'object' };

export type Params<S extends Schema> = { -readonly [K in keyof S]: S[K] extends Present ? Value<S[K]> : Value<S[K]> | undefined };

export class ParamError extends CodedError<'INVALID_PARAMETER'> {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super('INVALID_PARAMETER', message);
    this.name = 'ParamError';
  }
}

/**
 * Where the values come from: `query` (strings; a name given twice is refused) or `json` (a
 * parsed JSON body: integers may be numbers, objects nest).
 */
export type Source = 'query' | 'json';

export function parseParams<S extends Schema>(schema: S, input: Readonly<Record<string, unknown>>, source: Source = 'query', prefix = ''): Params<S> {
  const out: Record<string, unknown> = {};
  if (source === 'json') {
    for (const k of Object.keys(input)) {
      // Own keys only: `toString` or `__proto__` are keys of every object, not of the schema.
      if (!Object.hasOwn(schema, k)) throw new ParamError(prefix + k, `${prefix}${k.slice(0, 30)}: unknown; known: ${Object.keys(schema).join(', ')}`);
    }
  }
  for (const [name, spec] of Object.entries(schema)) {
    const label = prefix + name;
    let raw = Object.hasOwn(input, name) ? input[name] : undefined;
    if (source === 'query' && Array.isArray(raw)) {
      if (raw.length > 1) throw new ParamError(label, `${label}: given more than once`);
      raw = raw[0];
    }
    if (spec.type === 'object') {
      out[name] = parseObject(spec, raw ?? {}, source, label);
      continue;
    }
    const emptyAllowed = spec.type === 'string' && spec.emptyAllowed === true;
    if (raw === undefined || (raw === '' && !emptyAllowed) || (spec.type === 'string' && spec.required && !emptyAllowed && typeof raw === 'string' && !raw.trim())) {
      if (spec.type === 'string' && spec.required) throw new ParamError(label, `${label}: a ${emptyAllowed ? '' : 'non-empty '}string is required`);
      out[name] = 'default' in spec ? spec.default : undefined;
      continue;
    }
    if (spec.type === 'integer') {
      const n = typeof raw === 'number' && source === 'json' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n)) throw new ParamError(label, `${label}: expected an integer (got ${JSON.stringify(raw)?.slice(0, 40)})`);
      if (n < spec.minimum || n > spec.maximum) throw new ParamError(label, `${label}: must be from ${spec.minimum} to ${spec.maximum} (got ${n})`);
      out[name] = n;
      continue;
    }
    if (typeof raw !== 'string') throw new ParamError(label, `${label}: expected a string`);
    if (spec.type === 'string') {
      if (raw.length > spec.maxLength) throw new ParamError(label, `${label}: at most ${spec.maxLength} characters (got ${raw.length})`);
      if ((spec.pattern && !spec.pattern.test(raw)) || (spec.valid && !spec.valid(raw))) throw new ParamError(label, `${label}: ${spec.patternMessage ?? `does not match ${spec.pattern?.source}`}`);
      out[name] = raw;
    } else {
      if (!spec.values.includes(raw)) throw new ParamError(label, `${label}: must be one of ${spec.values.join(', ')} (got ${JSON.stringify(raw.slice(0, 40))})`);
      out[name] = raw;
    }
  }
  // The loop above checked every value against its spec: this is the type the schema promises.
  return out as Params<S>;
}

function parseObject(spec: Extract<ParamSpec, { type: 'object' }>, raw: unknown, source: Source, label: string): Params<Schema> {
  if (source !== 'json' || typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ParamError(label, `${label}: an object such as ${JSON.stringify(spec.example)}`);
  }
  return parseParams(spec.schema, Object.fromEntries(Object.entries(raw)), source, `${label}.`);
}

/** The JSON Schema of one spec (OpenAPI 3.1). */
function jsonSchema(spec: ParamSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'string':
      return { type: 'string', maxLength: spec.maxLength, ...(spec.pattern ? { pattern: spec.pattern.source } : {}) };
    case 'integer':
      return { type: 'integer', minimum: spec.minimum, maximum: spec.maximum, ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'enum':
      return { type: 'string', enum: spec.values, ...(spec.default !== undefined ? { default: spec.default } : {}) };
    case 'object':
      return { type: 'object', properties: properties(spec.schema), additionalProperties: false, example: spec.example };
  }
}

function properties(schema: Schema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, { description: spec.description, ...jsonSchema(spec) }]));
}

export function openApiParameters(schema: Schema, where: 'query' | 'path' = 'query'): object[] {
  return Object.entries(schema).map(([name, spec]) => ({
    name,
    in: where,
    required: where === 'path' || (spec.type === 'string' && spec.required === true),
    description: spec.description,
    schema: jsonSchema(spec),
    ...(spec.type === 'string' && spec.example ? { example: spec.example } : {}),
  }));
}

/** An OpenAPI request body (application/json) for a schema. */
export function openApiBody(schema: Schema): object {
  const required = Object.entries(schema).flatMap(([name, spec]) => (spec.type === 'string' && spec.required ? [name] : []));
  return { required: true, content: { 'application/json': { schema: { type: 'object', required, properties: properties(schema) } } } };
}

const text = (description: string, maxLength = 100) => ({ type: 'string', description, maxLength }) as const;

/** YYYY-MM-DD naming a day of the calendar (not 2024-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The one id parameter: passages and notices alike. */
export const idSchema = {
  id: { type: 'string', description: 'Passage or notice id', maxLength: 64, pattern: /^[A-Za-z0-9_-]{1,64}$/, patternMessage: 'letters, digits, _ and - only', required: true },
} as const satisfies Schema;

export const filterSchema = {
  province: text('Province, e.g. 四川省'),
  city: text('City, e.g. 遂宁市'),
  county: text('County or district, e.g. 蓬溪县'),
  level: { type: 'enum', description: 'Level of the issuing body', values: ['省', '市', '县', '区', '医院', '其他'] },
  inspection: { type: 'enum', description: 'Inspection type', values: ['巡视', '巡察'] },
  year: { type: 'integer', description: 'Year of the notice', minimum: 1949, maximum: 2100 },
  from: { type: 'string', description: 'Published on or after (YYYY-MM-DD)', maxLength: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, valid: isCalendarDate, patternMessage: 'a date that exists, YYYY-MM-DD' },
  to: { type: 'string', description: 'Published on or before (YYYY-MM-DD)', maxLength: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, valid: isCalendarDate, patternMessage: 'a date that exists, YYYY-MM-DD' },
} as const satisfies Schema;

const pageSchema = {
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

/** The JSON body of POST /api/similar. */
export const similarBodySchema = {
  text: { type: 'string', description: 'A measure, an excerpt or a question', maxLength: 2000, required: true },
  limit: similarSchema.limit,
  filters: { type: 'object', description: 'The filters of /api/search', schema: filterSchema, example: { province: '四川省' } },
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

/** The page a file was taken from: an http(s) URL (it becomes its notices' sourceUrl). */
export const pageUrlSpec = {
  type: 'string',
  description: 'The page the file was taken from (http or https); its notices\' sourceUrl',
  maxLength: 2000,
  valid: (value: string) => httpUrl(value) !== null,
  patternMessage: 'not an http(s) URL',
  example: 'https://wjw.sc.gov.cn/art/2025/1.html',
} as const satisfies ParamSpec;

/** One file of the JSON body of POST /api/admin/documents (the body is one of these or a list). */
export const uploadBodySchema = {
  name: { type: 'string', description: 'File name kept under DATA_DIR/uploads (checked further: docs/operations.md#uploads)', maxLength: 255, required: true, example: '蓬溪县通报.txt' },
  // The route's body limit (20 MiB) bounds it first; this only keeps the schema finite.
  // Empty is allowed here: an empty file is answered like any unreadable one (skipped, 422), not as a malformed request.
  content: { type: 'string', description: 'The file: text, or base64 for PDF and Word files', maxLength: 64 * 1024 * 1024, required: true, emptyAllowed: true },
  encoding: { type: 'enum', description: 'How content is given', values: ['utf-8', 'base64'], default: 'utf-8' },
  url: pageUrlSpec,
} as const satisfies Schema;
