/**
 * Title: what a notice's title line looks like, how a title wrapped over two or three lines is
 * put back together, the site tags that go in front of it (【巡察整改】, [通报]), and the issuer a
 * title names (one org, or two for a joint notice).
 *
 * @example
 * isTitleLine('关于整改进展情况的通报');                          // true
 * joinTitle(['沧源佤族自治县医疗保障局党组关于第十四届', '县委机动巡察整改进展情况的通报']);
 *   // '沧源佤族自治县医疗保障局党组关于第十四届县委机动巡察整改进展情况的通报'
 * cleanTitle('【巡察整改】中共怀化市卫生健康委员会关于巡察整改进展情况的通报');
 *   // '中共怀化市卫生健康委员会关于巡察整改进展情况的通报'
 * titleOrg('中共甲县卫生健康委员会党组 中共甲县医疗保障局党组关于…的通报');
 *   // '中共甲县卫生健康委员会党组、中共甲县医疗保障局党组'
 */
import { shadow } from './ingest/shadow.ts';
import { parseMarker } from './structure.ts';

const DOC_KIND = '(通报|报告|情况|方案|意见|通知|决定|总结|公告|说明|汇报|公示)';
const TITLE = new RegExp(
  `^(.{2,60})?关于.{2,80}${DOC_KIND}$|^.{4,60}(整改进展情况的通报|整改情况的通报|进展情况通报|整改情况通报|整改情况报告|工作总结|工作报告|工作方案|实施方案|自查报告)$`,
);
const INNER_STOP = /[。!?;]/;
/**
 * A site's tag in front of a title: 【巡察整改】, [通报], 〔公示〕, 「要闻」. Short, so that a
 * bracketed document name is never taken for one.
 */
const TAG = /^\s*(【[^】]{1,10}】|\[[^\]]{1,10}\]|〔[^〕]{1,10}〕|「[^」]{1,10}」)\s*/;

const squash = (sc: string) => sc.replace(/\s+/g, '');

/** The title without the site's tags in front of it. */
export function cleanTitle(text: string): string {
  let out = text.trim();
  for (let m = TAG.exec(out); m !== null && out.length > m[0].length; m = TAG.exec(out)) out = out.slice(m[0].length);
  return out;
}

/** A line that reads as a notice's title: "<org>关于<what>的通报/报告/…", or a title with no org. */
export function isTitleLine(text: string): boolean {
  const clean = cleanTitle(text);
  const sc = squash(shadow(clean));
  return sc.length <= 100 && !INNER_STOP.test(sc) && !sc.endsWith(':') && !sc.includes(':') && parseMarker(clean) === null && TITLE.test(sc);
}

/** A piece of a wrapped title: short, unpunctuated, not a heading. */
function fragment(text: string): boolean {
  const sc = squash(shadow(text));
  return sc.length >= 2 && sc.length <= 40 && !/[。!?;:,，、]/.test(sc) && parseMarker(text) === null;
}

const ORG_TAIL = /(党组|党委|委员会|局|委|院|中心|政府|办公室|党总支|总支|支部)$/;

/**
 * How many of `lines` (from the first) make one wrapped title, or 0. A title wraps after its
 * 关于 or right before it: the first piece holds 关于 and is not a title alone, or the first
 * piece is the org and the next starts with 关于; a banner or section label above a title holds
 * neither and is never joined to it.
 */
export function wrappedTitleLength(lines: string[]): number {
  const first = lines[0];
  if (first === undefined || !fragment(first) || isTitleLine(first)) return 0;
  const head = squash(shadow(cleanTitle(first)));
  for (let n = 2; n <= Math.min(3, lines.length); n++) {
    const pieces = lines.slice(0, n);
    if (!pieces.every(fragment)) return 0;
    const next = squash(shadow(pieces[1] as string));
    const opens = head.includes('关于') || (ORG_TAIL.test(head) && next.startsWith('关于'));
    if (opens && isTitleLine(joinTitle(pieces))) return n;
  }
  return 0;
}

/** The pieces of a wrapped title as one line: Chinese pieces join without a space. */
export function joinTitle(pieces: string[]): string {
  return pieces.map((p) => p.trim()).reduce((acc, p) => (/[A-Za-z0-9]$/.test(acc) && /^[A-Za-z0-9]/.test(p) ? `${acc} ${p}` : acc + p), '');
}

const ORG_END = /(党组|党委|委员会|局|委|院|中心|政府|办公室|党总支|支部)$/;

/**
 * The issuer a title names before its 关于, or null when it names none. A joint notice names two
 * (separated by a space, 、, 和 or 与): both are kept, joined with 、.
 */
export function titleOrg(title: string): string | null {
  const clean = cleanTitle(title);
  const sc = shadow(clean);
  const at = sc.indexOf('关于');
  if (at < 4 || at > 60) return null;
  const raw = clean.slice(0, at).trim();
  const parts = raw.split(/\s+|、|(?<=(?:党组|党委|委员会|局|委|院|中心))(?:和|与|及)/).filter((p) => p !== '');
  const orgs = parts.filter((p) => ORG_END.test(shadow(p)));
  if (orgs.length === 0 || orgs.length !== parts.length) return ORG_END.test(shadow(raw)) ? raw : null;
  return orgs.length === 1 ? (orgs[0] as string) : orgs.join('、');
}
