/**
 * Org: the organisation that issues a notice, read from the whole notice — the title before
 * 关于 (two orgs for a joint notice), the signature under the text, the body the opening says was
 * inspected (市委第四巡察组对市卫健委党委进行了巡察), the full name a quoted document title gives
 * that body (《中共盐城市疾病预防控制中心委员会关于…整改方案》 for 中心党委), and last the health
 * authority the text names most.
 *
 * @example
 * findOrg(draft, gazetteer); // '中共盐城市疾病预防控制中心委员会'
 */
import { shadow } from './ingest/index.ts';
import type { Division, Gazetteer } from './region.ts';
import type { DraftNotice } from './split.ts';
import { titleOrg } from './title.ts';

/** How an organisation's name ends. */
const ORG_END = /(党组|党委|委员会|局|委|院|中心|政府|办公室|党总支|总支|支部|会|所|站)$/;
/**
 * A line that is an organisation's name and nothing else (a signature): a health or
 * medical-insurance office, a hospital, a centre, or any bureau's party group.
 */
const ORG_LINE = /^(中共|中国共产党)?[\p{Script=Han}()]{2,40}(卫生健康局|卫健局|卫生健康委员会|卫生健康委|卫健委|卫生局|人民政府|医院|卫生院|保健院|中心|办公室|医疗保障局|医保局|疾病预防控制局|疾控局|监督所|红十字会|协会|委员会|局(党组|党委))(党组|党委|党总支|总支|支部)?$/u;

/** Short forms and the full names they stand for, to compare a body named both ways. */
const SHORT_FORMS: Array<[RegExp, string]> = [
  [/卫健委|卫生健康委(?!员会)|卫计委|卫生计生委/g, '卫生健康委员会'],
  [/卫健局/g, '卫生健康局'],
  [/疾控中心/g, '疾病预防控制中心'],
  [/疾控局/g, '疾病预防控制局'],
  [/医保局/g, '医疗保障局'],
];

/**
 * Words of prose that no organisation's name holds: a hard-wrapped line of text that happens to
 * end in 中心 or 医院 ("市委第二巡察组对县疾病预防控制中心") is not a signature.
 */
const PROSE = /[对的了在把将向为是从按据经由与及并等被让使这其各该]|^(推动|推进|加强|加快|建立|建设|完善|开展|组织|落实|实施|强化|提升|深化|持续|全面|进一步|积极|切实|召开|成立|制定|印发|新建|设立|依托|支持|指导|督促|协调|配合|会同|联合|牵头)/;

export function isOrgLine(text: string): boolean {
  const sc = shadow(text).replace(/\s+/g, '');
  return ORG_LINE.test(sc) && !PROSE.test(sc.replace(/^(中共|中国共产党)/, ''));
}

/** A party body's name without 中共 and its party ending, short forms spelled out. */
function core(name: string): string {
  let sc = shadow(name).replace(/\s+/g, '').replace(/^(中共|中国共产党)/, '');
  sc = sc.replace(/(党组|党委|党总支|总支|支部)$/, '');
  // 中共…中心委员会 is the party committee of …中心.
  if (/(中心|医院|院|局)委员会$/.test(sc)) sc = sc.replace(/委员会$/, '');
  for (const [short, full] of SHORT_FORMS) sc = sc.replace(short, full);
  return sc;
}

const INSPECTED = /对(.{2,40}?)(?:进行了|开展了|开展|进行)[^。;,]{0,12}(巡察|巡视)|向(.{2,40}?)(?:反馈了|反馈)/g;

/** The body the opening says was inspected or given the inspection's findings. */
export function inspectedBody(text: string): string | null {
  const sc = shadow(text);
  INSPECTED.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = INSPECTED.exec(sc)) !== null) {
    const name = m[1] ?? m[3];
    if (name === undefined) continue;
    const at = m.index + 1;
    const original = text.slice(at, at + name.length).replace(/^(县|市|区|州|省)?委?(第.{1,3}|机动|专项)?巡[察视]组/, '').trim();
    if (/(党组|党委|党总支|总支|支部|委员会)$/.test(shadow(original)) && !/[,、]/.test(original)) return original;
  }
  return null;
}

/** Organisations named as the issuers of documents the text quotes (《X关于…》). */
function quotedIssuers(text: string): string[] {
  const sc = shadow(text);
  const out: string[] = [];
  for (const m of sc.matchAll(/《([^《》]{4,60}?)关于[^《》]*》/g)) {
    const name = m[1] as string;
    if (!ORG_END.test(name) || /巡[察视]组$|领导小组$/.test(name)) continue;
    const at = (m.index ?? 0) + 1;
    out.push(text.slice(at, at + name.length));
  }
  return out;
}

/** Words before a bare 市卫健局 that leave it a name on its own ("在市卫健局的指导下"). */
const BARE_BEFORE = /[在和与及对向由经的度年、,:]/;
const AGENCY = /(卫生健康委员会|卫生和计划生育委员会|卫生计生委|卫生健康委|卫生健康局|卫计委|卫健委|卫健局|卫生局|医疗保障局|医保局|疾病预防控制中心|疾控中心)(党组|党委)?/g;
const HOSPITAL = /(中医医院|人民医院|中心医院|妇幼保健院|医院)(党委|党总支)?/g;

function insideBookTitle(sc: string, at: number): boolean {
  const open = sc.lastIndexOf('《', at);
  return open >= 0 && sc.lastIndexOf('》', at) < open;
}

/** "在市卫健局的关心和指导下": the body named is the one above the issuer. */
function supervising(sc: string, start: number, end: number): boolean {
  return sc[start - 1] === '在' && /^.{0,6}(关心|指导|领导|支持)/.test(sc.slice(end));
}

/** The health authority the body names most, with its place (临武县卫生健康局) or bare (区卫健局). */
function namedMost(draft: DraftNotice, gazetteer: Gazetteer): string | null {
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

/**
 * Whether a name carries its own place (攀枝花市西区…, 沧源佤族自治县…), not only 市/县/区; `site`:
 * the site's places, under which a generic district name (市中区…) counts as a place.
 */
export function namesPlace(name: string, gazetteer: Gazetteer, site: Division[] = []): boolean {
  return gazetteer.find(shadow(name), site).some((m) => m.division.level !== 'town');
}

/**
 * The issuer: the org(s) the title names before 关于 (joint orgs joined with 、); else the
 * signature; else the inspected body the opening names with its place; else the full name a
 * quoted document title gives that body; else the inspected body as the opening names it
 * (市卫健委党委); else the health authority the text names most.
 */
export function findOrg(draft: DraftNotice, gazetteer: Gazetteer): string | null {
  if (draft.title !== null) {
    const org = titleOrg(draft.title);
    if (org !== null) return org;
  }
  if (draft.signature !== null) return draft.signature;

  const opening = draft.paragraphs.slice(0, 3).map((p) => p.text).join('\n');
  const inspected = inspectedBody(opening);
  if (inspected !== null && namesPlace(inspected, gazetteer)) return inspected;
  if (inspected !== null) {
    const wanted = core(inspected).replace(/^[省市县区]/, '');
    const body = draft.paragraphs.map((p) => p.text).join('\n');
    const full = quotedIssuers(body).find((name) => wanted.length >= 2 && core(name).endsWith(wanted));
    if (full !== undefined) return full;
    if (/^[省市县区州旗]/.test(shadow(inspected))) return inspected;
  }
  return namedMost(draft, gazetteer);
}
