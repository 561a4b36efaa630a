/**
 * Host: the place a government site names in its host name. Chinese government hosts spell their
 * place in pinyin or in pinyin initials, alone or with the office's own code before or after it:
 * wjw.zhuzhou.gov.cn (株洲市), wsj.yancheng.gov.cn (盐城市), www.alsyq.gov.cn (阿拉善右旗),
 * www.pzhsxq.gov.cn (攀枝花市 + 西区), cyjjjc.gov.cn (沧源 + 纪检监察).
 *
 * The spellings are made from the gazetteer with pinyin-pro (a name's full pinyin and its
 * initials, with and without 市/县/区/旗/自治县 …), never from a list of sites. Initials are short
 * and shared by many places (sq: 宿迁, 商丘 …); such a host names several places and the text then
 * decides (region.ts).
 *
 * @example
 * const places = createHostPlaces(createGazetteer({ towns: false }));
 * places.of('https://www.pzhsxq.gov.cn/zwgk/1.shtml').map((d) => d.name); // ['西区'] (攀枝花市)
 */
import { pinyin } from 'pinyin-pro';
import { stemOf, type Division, type Gazetteer } from './region.ts';

export interface HostPlaces {
  /** The places the URL's host names, best reading first; [] when it names none. */
  of(url: string): Division[];
}

/** Labels that carry no place: top-level and generic second-level domains, the www of a site. */
const NOT_PLACE = new Set(['www', 'gov', 'cn', 'com', 'net', 'org', 'edu', 'www1', 'www2', 'm', 'wap']);

type KeyKind = 'pinyin' | 'initials' | 'shortInitials';
/**
 * A full pinyin spelling tells a place far more surely than its initials, and three or more
 * initials (alsyq) more surely than two (bx: 博兴县 or 宾县).
 */
const KIND_WEIGHT: Record<KeyKind, number> = { pinyin: 3, initials: 2, shortInitials: 1 };

interface Reading {
  /** The place read: the deepest division of the chain the label spells. */
  division: Division;
  score: number;
}

/**
 * Builds the spelling index once (about 3,600 places; some hundred ms with pinyin-pro's
 * dictionary), then reads hosts by lookup.
 */
export function createHostPlaces(gazetteer: Gazetteer): HostPlaces {
  const keys = new Map<string, Array<{ division: Division; kind: KeyKind }>>();
  const add = (key: string, division: Division, kind: KeyKind) => {
    if (key.length < 2) return;
    const list = keys.get(key);
    if (list === undefined) keys.set(key, [{ division, kind }]);
    else if (!list.some((e) => e.division === division && KIND_WEIGHT[e.kind] >= KIND_WEIGHT[kind])) list.push({ division, kind });
  };
  const spell = (text: string) => pinyin(text, { toneType: 'none', type: 'array', v: true }).map((s) => s.replace(/[^a-z]/g, ''));
  for (const division of gazetteer.divisions()) {
    const name = division.name;
    const stem = stemOf(name);
    const full = spell(name);
    add(full.join(''), division, 'pinyin');
    const initials = (syllables: string[]) => {
      const key = syllables.map((s) => s[0] ?? '').join('');
      add(key, division, key.length >= 3 ? 'initials' : 'shortInitials');
    };
    initials(full);
    if (stem.length >= 2 && stem !== name) {
      const short = spell(stem);
      add(short.join(''), division, 'pinyin');
      initials(short);
    }
  }

  /** Readings of `text` as one place key, or a parent's key followed by a child's. */
  const chains = (text: string): Reading[] => {
    const out: Reading[] = [];
    for (const e of keys.get(text) ?? []) out.push({ division: e.division, score: KIND_WEIGHT[e.kind] });
    for (let cut = 2; cut <= text.length - 2; cut++) {
      const parents = keys.get(text.slice(0, cut));
      const children = keys.get(text.slice(cut));
      if (parents === undefined || children === undefined) continue;
      for (const p of parents) {
        for (const c of children) {
          // Two pairs of initials (xj + bt) fit too many chains by chance to name one.
          if (KIND_WEIGHT[p.kind] + KIND_WEIGHT[c.kind] < 3) continue;
          if (c.division.chain.length > p.division.chain.length && c.division.chain.includes(p.division.code)) {
            // Two parts that agree with each other say more than either alone.
            out.push({ division: c.division, score: KIND_WEIGHT[p.kind] + KIND_WEIGHT[c.kind] + 1 });
          }
        }
      }
    }
    return out;
  };

  /**
   * Readings of one label: the whole label as a place, else a place followed or preceded by an
   * office code of at least two letters (cyjjjc = cy + jjjc; hbwjw); a reading with an office
   * code counts less.
   */
  const readLabel = (label: string, gov: boolean): { readings: Reading[]; whole: boolean } => {
    const whole = chains(label).filter((r) => gov || r.score >= 3);
    if (whole.length > 0 || !gov) return { readings: whole, whole: true };
    const out: Reading[] = [];
    for (let cut = 2; cut <= label.length - 2; cut++) {
      for (const r of chains(label.slice(0, cut))) out.push({ division: r.division, score: r.score - 0.5 });
      for (const r of chains(label.slice(cut))) out.push({ division: r.division, score: r.score - 0.5 });
    }
    return { readings: out, whole: false };
  };

  return {
    of(url: string): Division[] {
      let host: string;
      try {
        host = new URL(url).hostname.toLowerCase();
      } catch {
        return [];
      }
      const labels = host.split('.');
      const gov = host.endsWith('.gov.cn');
      // The place sits nearest the domain (wjw.zhuzhou.gov.cn); offices' codes sit before it.
      for (const label of labels.reverse()) {
        if (NOT_PLACE.has(label) || !/^[a-z]+$/.test(label)) continue;
        const { readings, whole } = readLabel(label, gov);
        if (readings.length === 0) continue;
        const best = Math.max(...readings.map((r) => r.score));
        const top: Division[] = [];
        for (const r of readings) if (r.score === best && !top.includes(r.division)) top.push(r.division);
        // Among readings of a whole label a higher level wins (sc: 四川省 before 双城区): a site
        // whose whole name is two letters is a province's or a city's. Beside an office's code
        // (bxjwjw) the place may be any level: all stay, and the text decides.
        if (!whole) return top;
        const highest = Math.min(...top.map((d) => d.chain.length));
        return top.filter((d) => d.chain.length === highest);
      }
      return [];
    },
  };
}
