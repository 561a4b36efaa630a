/**
 * Enrich: a split notice and its passages → the Notice record: title, issuer, region, level,
 * inspection type and dates, and the stable ids.
 *
 * Ids are hashes of normalized text, so the same text gets the same ids on every run and machine,
 * whatever file or encoding it came from; a traditional-character copy gets the ids of the
 * simplified one, because normalize() makes them the same text.
 *
 * @example
 * const notice = enrich(draft, structure(draft.paragraphs), { gazetteer: createGazetteer() });
 * notice.county; // '蓬溪县'
 */
import { createHash } from 'node:crypto';
import { shadow } from './ingest/index.ts';
import { normalize } from './normalize.ts';
import type { Inspection, Level, Notice, Passage } from './notice.ts';
import type { Division, Gazetteer } from './region.ts';
import type { DraftNotice } from './split.ts';
import { parseMarker, type DraftPassage } from './structure.ts';
import { titleOrg } from './title.ts';

export interface EnrichContext {
  gazetteer: Gazetteer;
}

// ---------------------------------------------------------------------------------------------
// Ids

/** 16 hex characters of sha256 over the parts: 64 bits, ample for a corpus of notices. */
export function hashId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** The text a notice's id is taken from: what the notice itself says, not what we inferred. */
export function noticeText(draft: DraftNotice): string {
  return [draft.title, draft.salutation, ...draft.paragraphs.map((p) => p.text), draft.signature, draft.signedDate]
    .filter((line): line is string => line !== null)
    .join('\n');
}

export function noticeId(draft: DraftNotice): string {
  return hashId(normalize(noticeText(draft)));
}

/** Passage ids: notice id + normalized text, with a counter so exact repeats stay distinct. */
export function passageRecords(noticeId: string, drafts: DraftPassage[]): Passage[] {
  const seen = new Map<string, number>();
  return drafts.map((draft) => {
    const normText = normalize(draft.text);
    const occurrence = seen.get(normText) ?? 0;
    seen.set(normText, occurrence + 1);
    return {
      id: hashId(noticeId, normText, String(occurrence)),
      noticeId,
      headingPath: draft.headingPath,
      problem: draft.problem,
      text: draft.text,
      normText,
      position: draft.position,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Dates

/** YYYY-MM-DD for a real calendar date, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1949 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date as pages write it: 2025-01-15 17:16, 2024/10/23, 2025年1月13日, 2025年1月13 (日 dropped). */
export function parseDate(text: string): string | null {
  const sc = shadow(text);
  const m = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(sc);
  return m === null ? null : isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

export interface InspectionDates {
  inspectionStart: string | null;
  inspectionEnd: string | null;
  feedbackDate: string | null;
}

const RANGE = /(\d{4})年(\d{1,2})月(\d{1,2})日?\s*(?:至|到|—|-|~|－)+\s*(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/;
const DAY = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/g;

/**
 * The inspection period and the feedback date, from the sentences that speak of the inspection
 * ("2024年3月4日至7月21日,县委巡察二组对…进行了巡察。2024年7月31日,…反馈了巡察意见"). A date
 * written without its year takes the last year the text named before it.
 */
export function inspectionDates(text: string): InspectionDates {
  const sc = shadow(text);
  const out: InspectionDates = { inspectionStart: null, inspectionEnd: null, feedbackDate: null };
  let lastYear: number | null = null;
  for (const sentence of sc.split(/(?<=[。;!?\n])/)) {
    const about = /巡察|巡视/.test(sentence);
    const range = about && out.inspectionStart === null ? RANGE.exec(sentence) : null;
    if (range !== null) {
      const year = Number(range[1]);
      out.inspectionStart = isoDate(year, Number(range[2]), Number(range[3]));
      out.inspectionEnd = isoDate(range[4] === undefined ? year : Number(range[4]), Number(range[5]), Number(range[6]));
    }
    const feedbackAt = about ? sentence.indexOf('反馈') : -1;
    DAY.lastIndex = 0;
    let m: RegExpExecArray | null;
    let beforeFeedback: string | null = null;
    while ((m = DAY.exec(sentence)) !== null) {
      const inRange = range !== null && m.index >= range.index && m.index < range.index + range[0].length;
      const yearText = m[1] ?? /(\d{4})年[^年]*$/.exec(sentence.slice(0, m.index))?.[1];
      const year = yearText !== undefined ? Number(yearText) : lastYear;
      if (yearText !== undefined) lastYear = Number(yearText);
      if (!inRange && feedbackAt > m.index && year !== null) beforeFeedback = isoDate(year, Number(m[2]), Number(m[3]));
    }
    const years = [...sentence.matchAll(/(\d{4})年/g)];
    const lastInSentence = years[years.length - 1];
    if (lastInSentence !== undefined) lastYear = Number(lastInSentence[1]);
    if (out.feedbackDate === null && beforeFeedback !== null) out.feedbackDate = beforeFeedback;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Issuer

const AGENCY = /(卫生健康委员会|卫生和计划生育委员会|卫生计生委|卫生健康委|卫生健康局|卫计委|卫健委|卫健局|卫生局)(党组|党委)?/g;
const HOSPITAL = /(中医医院|人民医院|中心医院|妇幼保健院|医院)(党委|党总支)?/g;
/** Words before a bare 市卫健局 that leave it a name on its own ("在市卫健局的指导下"). */
const BARE_BEFORE = /[在和与及对向由经的度年、,:]/;

function insideBookTitle(sc: string, at: number): boolean {
  const open = sc.lastIndexOf('《', at);
  return open >= 0 && sc.lastIndexOf('》', at) < open;
}

/** "在市卫健局的关心和指导下": the body named is the one above the issuer. */
function supervising(sc: string, start: number, end: number): boolean {
  return sc[start - 1] === '在' && /^.{0,6}(关心|指导|领导|支持)/.test(sc.slice(end));
}

/**
 * The issuer as the text names it: the organisation before 关于 in the title, else the
 * signature, else the health authority the body names with its place (临武县卫生健康局,
 * 咸宁市卫生健康委), else the bare one the opening paragraph names (区卫健局).
 */
export function findOrg(draft: DraftNotice, gazetteer: Gazetteer): string | null {
  if (draft.title !== null) {
    const org = titleOrg(draft.title);
    if (org !== null) return org;
  }
  if (draft.signature !== null) return draft.signature;

  const tally = new Map<string, { score: number; first: number; qualified: boolean }>();
  let order = 0;
  const count = (name: string, weight: number, qualified: boolean) => {
    const entry = tally.get(name);
    if (entry === undefined) tally.set(name, { score: weight, first: order++, qualified });
    else entry.score += weight;
  };
  draft.paragraphs.forEach((paragraph, index) => {
    const opening = index < 2;
    const sc = shadow(paragraph.text);
    const mentions = gazetteer.find(sc).filter((m) => m.division.level !== 'town');
    const placeStart = (end: number): number | null => {
      let start: number | null = null;
      let at = end;
      for (;;) {
        const before = mentions.find((m) => m.index + m.name.length === at);
        if (before === undefined) return start;
        start = before.index;
        at = before.index;
      }
    };
    const scan = (pattern: RegExp, bareAllowed: boolean) => {
      pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pattern.exec(sc)) !== null) {
        const end = m.index + m[0].length;
        const start = placeStart(m.index);
        if (start !== null) {
          if (supervising(sc, start, end)) continue;
          count(paragraph.text.slice(start, end), insideBookTitle(sc, start) ? 0.5 : 1, true);
          continue;
        }
        const prefix = sc[m.index - 1] ?? '';
        const beforePrefix = sc[m.index - 2];
        const bare = /[省市县区]/.test(prefix) && (beforePrefix === undefined || !/\p{Script=Han}/u.test(beforePrefix) || BARE_BEFORE.test(beforePrefix));
        if (bareAllowed && bare && !supervising(sc, m.index - 1, end) && !insideBookTitle(sc, m.index)) {
          count(paragraph.text.slice(m.index - 1, end), 1, false);
        }
      }
    };
    scan(AGENCY, opening);
    if (opening) scan(HOSPITAL, false);
  });
  const ranked = [...tally.entries()].sort(
    ([, a], [, b]) => Number(b.qualified) - Number(a.qualified) || b.score - a.score || a.first - b.first,
  );
  return ranked[0]?.[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Title

const REPORTED = /现将(.{2,40}?)(予以公布|予以通报|通报如下|总结报告如下|报告如下|汇报如下)/;

function firstSentence(text: string): string {
  const sc = shadow(text);
  const end = sc.search(/[。!?;]|\.(?!\d)/);
  const sentence = end < 0 ? text : text.slice(0, end);
  return sentence.length > 30 ? `${sentence.slice(0, 30)}…` : sentence;
}

/**
 * The page's title line; else one made the way such notices are titled — "<issuer>关于<what the
 * opening says it reports>的通报/报告" — or, when the opening does not say, the issuer and the first
 * heading or sentence.
 */
export function makeTitle(draft: DraftNotice, org: string | null): string {
  if (draft.title !== null) return draft.title;
  const opening = draft.paragraphs.slice(0, 2);
  for (const paragraph of opening) {
    const m = REPORTED.exec(shadow(paragraph.text));
    if (m === null) continue;
    const start = m.index + 2;
    let subject = paragraph.text.slice(start, start + (m[1]?.length ?? 0));
    subject = subject.replace(/我局|我委|我院|本局|本委|本院|有关|具体/g, '').replace(/总结$/, '').trim();
    if (subject.length >= 6) {
      // Written in the notice's own script, so a traditional page gets a traditional title.
      const traditional = shadow(subject) !== subject || (org !== null && shadow(org) !== org);
      const about = traditional ? '關於' : '关于';
      const kind = /公布|通报/.test(m[2] ?? '') ? (traditional ? '通報' : '通报') : traditional ? '報告' : '报告';
      return `${org ?? ''}${about}${subject}的${kind}`;
    }
  }
  let topic: string | null = null;
  for (const paragraph of draft.paragraphs.slice(0, 6)) {
    const marker = parseMarker(paragraph.text);
    if (marker === null) continue;
    const heading = firstSentence(paragraph.text.slice(marker.length)).trim();
    if (heading.length >= 6) topic = heading;
    break;
  }
  topic ??= firstSentence(draft.paragraphs[0]?.text ?? '');
  return org === null ? topic : `${org}：${topic}`;
}

// ---------------------------------------------------------------------------------------------
// Level and inspection

function levelOfDivision(division: Division): Level {
  if (division.level === 'province') return '省';
  if (division.level === 'city') return '市';
  // County-level units: 区 for districts, 县 for counties, banners and county-level cities.
  return division.name.endsWith('区') ? '区' : '县';
}

/**
 * The administrative level of the issuer: a hospital; else the level of the place in its name
 * (or of the bare 省/市/县/区 it starts with); else of the region resolved; else what the text
 * calls its own ground (我县, 全市); else 其他.
 */
export function findLevel(org: string | null, region: Division | null, body: string, gazetteer: Gazetteer): Level {
  if (org !== null) {
    const sc = shadow(org);
    if (/医院|卫生院|保健院/.test(sc)) return '医院';
    const places = gazetteer.find(sc).filter((m) => m.division.level !== 'town');
    const deepest = places.sort((a, b) => b.division.chain.length - a.division.chain.length)[0];
    if (deepest !== undefined) return levelOfDivision(deepest.division);
    const bare = /^(中共)?([省市县区])/.exec(sc);
    if (bare !== null) return bare[2] as Level;
  }
  if (region !== null) return levelOfDivision(region);
  const sc = shadow(body);
  const counts: [Level, number][] = (['省', '市', '县', '区'] as const).map((level) => [level, (sc.match(new RegExp(`[我全本]${level}`, 'g')) ?? []).length]);
  counts.sort((a, b) => b[1] - a[1]);
  const top = counts[0];
  return top !== undefined && top[1] > 0 ? top[0] : '其他';
}

/** 巡察 or 巡视 as the title says, else as the opening paragraphs say the inspection was done. */
export function findInspection(draft: DraftNotice): Inspection | null {
  const title = shadow(draft.title ?? '');
  if (title.includes('巡察')) return '巡察';
  if (title.includes('巡视')) return '巡视';
  const opening = shadow(draft.paragraphs.slice(0, 2).map((p) => p.text).join('\n'));
  const patrol = (opening.match(/巡察组|进行了巡察|开展了巡察|巡察反馈|巡察整改/g) ?? []).length;
  const tour = (opening.match(/巡视组|进行了巡视|开展了巡视|巡视反馈|巡视整改/g) ?? []).length;
  if (patrol === 0 && tour === 0) return null;
  return patrol >= tour ? '巡察' : '巡视';
}

// ---------------------------------------------------------------------------------------------

const DATE_KEYS = ['发布时间', '发布日期', '发文日期', '日期', '时间'];

export function enrich(draft: DraftNotice, passages: DraftPassage[], context: EnrichContext): Notice {
  const { gazetteer } = context;
  const org = findOrg(draft, gazetteer);
  const title = makeTitle(draft, org);
  const body = draft.paragraphs.map((p) => p.text).join('\n');
  const strong = [draft.title, org, draft.salutation, draft.signature].filter((t): t is string => t !== null).map(shadow);
  const region = gazetteer.resolve({ strong, weak: shadow(body) });
  const dates = inspectionDates(draft.paragraphs.slice(0, 3).map((p) => p.text).join('\n'));

  let publishDate: string | null = null;
  for (const key of DATE_KEYS) {
    const value = draft.meta[key];
    if (publishDate === null && value !== undefined) publishDate = parseDate(value);
  }
  // Without a page date, the date the issuer signed is the earliest the notice can have appeared.
  if (publishDate === null && draft.signedDate !== null) publishDate = parseDate(draft.signedDate);

  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(draft.meta)) if (!DATE_KEYS.includes(key) && value !== '') meta[key] = value;

  const id = noticeId(draft);
  return {
    id,
    title,
    org,
    province: region.province,
    city: region.city,
    county: region.county,
    level: findLevel(org, region.division, body, gazetteer),
    inspection: findInspection(draft),
    inspectionStart: dates.inspectionStart,
    inspectionEnd: dates.inspectionEnd,
    feedbackDate: dates.feedbackDate,
    publishDate,
    source: draft.source,
    meta,
    passages: passageRecords(id, passages),
  };
}
