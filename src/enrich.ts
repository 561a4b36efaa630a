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
import type { HostPlaces } from './host.ts';
import { shadow } from './ingest/index.ts';
import { normalize } from './normalize.ts';
import type { Inspection, Level, Notice, Passage } from './notice.ts';
import { findOrg, namesPlace } from './org.ts';
import type { Division, Gazetteer } from './region.ts';
import { isDateLine, type DraftNotice } from './split.ts';
import { parseMarker, type DraftPassage } from './structure.ts';

export interface EnrichContext {
  gazetteer: Gazetteer;
  /** Reads the place a site's host names; without it the URL names no place. */
  hostPlaces?: HostPlaces | undefined;
  /** The page's own URL, given with the file (upload field, --url, a URL: first line). */
  url?: string | null | undefined;
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

const HAN_DIGITS: Record<string, number> = { '〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9 };

/** 十二 → 12, 二十五 → 25, 三十 → 30, 五 → 5. */
function hanNumber(text: string): number {
  const [tens, ones] = text.includes('十') ? text.split('十') : ['', text];
  const t = tens === undefined ? 0 : tens === '' ? (text.includes('十') ? 1 : 0) : (HAN_DIGITS[tens] ?? 0);
  return t * 10 + (ones === undefined || ones === '' ? 0 : (HAN_DIGITS[ones] ?? 0));
}

/** A date written in Chinese numerals (二〇二四年十二月五日, as official documents sign) in digits. */
function hanDate(text: string): string {
  return text.replace(/([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,2})\s*月\s*([一二三四五六七八九十]{1,3})\s*日/g, (_, y: string, m: string, d: string) =>
    `${[...y].map((c) => HAN_DIGITS[c] ?? 0).join('')}年${hanNumber(m)}月${hanNumber(d)}日`);
}

/**
 * A date as pages write it: 2025-01-15 17:16, 2024/10/23, 2025年1月13日, 2025年1月13 (日 dropped),
 * 二〇二五年一月十三日.
 */
export function parseDate(text: string): string | null {
  const sc = hanDate(shadow(text));
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
export function findLevel(org: string | null, region: Division | null, body: string, gazetteer: Gazetteer, site: Division[] = []): Level {
  if (org !== null) {
    const sc = shadow(org);
    if (/医院|卫生院|保健院/.test(sc)) return '医院';
    const places = gazetteer.find(sc, site).filter((m) => m.division.level !== 'town');
    const deepest = places.sort((a, b) => b.division.chain.length - a.division.chain.length)[0];
    if (deepest !== undefined) return levelOfDivision(deepest.division);
    const bare = /^(中共)?([省市县区旗盟州])/.exec(sc);
    // A banner is a county; a league (盟) or an autonomous prefecture (州) a city.
    if (bare !== null) return bare[2] === '旗' ? '县' : bare[2] === '盟' || bare[2] === '州' ? '市' : (bare[2] as Level);
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

/** Page dates, most telling first: when it was published, else when the document was signed. */
const DATE_KEYS = ['发布时间', '发布日期', '发文日期', '成文日期', '成文时间', '日期', '时间'];
/**
 * Meta lines that link a page to its original (a reprint's 原文链接): not the page's own URL, so
 * never its sourceUrl, but the original's host names the issuer's place as well as any.
 */
export const LINK_KEYS = ['原文链接', '原文地址', '本文链接', '文章链接', '来源网址', '网址'];
/** Meta lines that name who published the page (a place the notice gives itself). */
const PUBLISHER_KEYS = ['发布机构', '发文机关', '发布单位'];

/** An http(s) URL as written, or null. */
export function httpUrl(text: string | null | undefined): string | null {
  if (text == null) return null;
  const trimmed = text.trim();
  if (!/^https?:\/\/[^\s/]+/i.test(trimmed)) return null;
  try {
    return new URL(trimmed).href;
  } catch {
    return null;
  }
}

/** The bare level an issuer's name starts with (市卫健委 → city), when it names no place. */
function bareLevel(org: string | null): 'province' | 'city' | 'county' | null {
  const m = org === null ? null : /^(中共)?([省市县区旗盟州])/.exec(shadow(org));
  if (m === null) return null;
  return m[2] === '省' ? 'province' : m[2] === '市' || m[2] === '盟' || m[2] === '州' ? 'city' : 'county';
}

/**
 * The region: what the text says, with the site's place (a) settling names the text leaves open,
 * (b) standing in when the text names none, and (c) going deeper than the text when the issuer
 * names no place of its own (市卫健委 on wjw.zhuzhou.gov.cn, with only 湖南省 in the text). An
 * issuer called by its bare level (市卫健委) is of that level, however deep the places it names.
 */
function findRegion(org: string | null, evidence: { strong: string[]; weak: string; site: Division[] }, gazetteer: Gazetteer): Division | null {
  let division = gazetteer.resolve(evidence).division;
  const site = evidence.site;
  const ownPlace = org !== null && namesPlace(org, gazetteer, site);
  if (!ownPlace && division !== null && site.length > 0) {
    const below = site.filter((d) => d.chain.length > (division as Division).chain.length && d.chain.includes((division as Division).code));
    if (below.length === site.length) {
      let shared = (below[0] as Division).chain;
      for (const d of below) shared = shared.filter((code) => d.chain.includes(code));
      division = gazetteer.byCode(shared[shared.length - 1] ?? '') ?? division;
    }
  }
  const bare = ownPlace ? null : bareLevel(org);
  if (division !== null && bare !== null) {
    const depth = bare === 'province' ? 1 : bare === 'city' ? 2 : 3;
    // A county-level city calls itself 市 too (市卫健局 of 县级市): only a county or district is cut.
    const countyCity = division.level === 'county' && division.name.endsWith('市');
    if (division.chain.length > depth && !countyCity) division = gazetteer.byCode(division.chain[depth - 1] ?? '') ?? division;
  }
  return division;
}

export function enrich(draft: DraftNotice, passages: DraftPassage[], context: EnrichContext): Notice {
  const { gazetteer } = context;
  const org = findOrg(draft, gazetteer);
  const title = makeTitle(draft, org);
  const body = draft.paragraphs.map((p) => p.text).join('\n');

  const sourceUrl = httpUrl(context.url);
  const siteUrl = sourceUrl ?? LINK_KEYS.map((key) => httpUrl(draft.meta[key])).find((u) => u !== null) ?? null;
  const site = siteUrl !== null && context.hostPlaces !== undefined ? context.hostPlaces.of(siteUrl) : [];
  // A joint notice takes its region from the first org it names.
  const firstOrg = org?.split('、')[0] ?? null;
  const publisher = PUBLISHER_KEYS.map((key) => draft.meta[key]).filter((v): v is string => v !== undefined);
  const named = firstOrg !== null && org !== firstOrg && namesPlace(firstOrg, gazetteer, site)
    ? [firstOrg]
    : [draft.title, org, draft.salutation, draft.signature, ...publisher].filter((t): t is string => t !== null);
  const weak = [body, draft.meta['来源'], draft.meta['信息来源'], draft.meta['文章来源']].filter((t): t is string => t !== undefined).join('\n');
  const region = findRegion(org, { strong: named.map(shadow), weak: shadow(weak), site }, gazetteer);
  const dates = inspectionDates(draft.paragraphs.slice(0, 3).map((p) => p.text).join('\n'));

  let publishDate: string | null = null;
  for (const key of DATE_KEYS) {
    const value = draft.meta[key];
    if (publishDate === null && value !== undefined) publishDate = parseDate(value);
  }
  // Without a page date, the date the issuer signed is the earliest the notice can have appeared:
  // the date under the signature, or a date line closing the text.
  if (publishDate === null && draft.signedDate !== null) publishDate = parseDate(draft.signedDate);
  const last = draft.paragraphs[draft.paragraphs.length - 1];
  if (publishDate === null && last !== undefined && isDateLine(last.text)) publishDate = parseDate(last.text);

  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(draft.meta)) if (!DATE_KEYS.includes(key) && value !== '') meta[key] = value;

  const id = noticeId(draft);
  return {
    id,
    title,
    org,
    province: region?.province ?? null,
    city: region?.city ?? null,
    county: region?.county ?? null,
    level: findLevel(firstOrg, region, body, gazetteer, site),
    inspection: findInspection(draft),
    inspectionStart: dates.inspectionStart,
    inspectionEnd: dates.inspectionEnd,
    feedbackDate: dates.feedbackDate,
    publishDate,
    source: draft.source,
    sourceUrl,
    meta,
    passages: passageRecords(id, passages),
  };
}
