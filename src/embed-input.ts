/**
 * What is embedded for each passage (the input of the embed stage).
 *
 * A passage is one measure ("二是规范工单办理。…"), and its own text is what best tells it apart
 * from the others: on the similar-measure eval, embedding the bare text beat embedding it with
 * its whole heading path (the outer headings — "二、巡察反馈问题整改落实情况", "(一)聚焦党中央决策部署
 * …方面" — are the same template in every notice and pull unrelated measures together).
 *
 * What helps is the *specific* context: the headings that name the measure's own topic
 * ("(18)解决群众诉求" above "二是规范工单办理…"). A heading is taken as specific when it stands over
 * only a few passages of its notice (at most `specificMaxPassages`); a heading the text already
 * starts with is not repeated. The problem a measure answers is added when neither the text nor
 * those headings state it. The input stays within the model's window: context first (bounded),
 * then the text, cut at `maxChars` characters (bge-small-zh reads about one token per character).
 *
 * Pure: the indexer hashes exactly what this returns for the embedding cache, so the same passage
 * in the same notice always yields the same input, and an unchanged corpus embeds nothing.
 *
 * @example
 * ```ts
 * const inputs = embedInputs(notice.passages.map((p) => ({ ...p, noticeId: notice.id })));
 * // '(18)解决群众诉求\n二是规范工单办理。采取工单登记,…'
 * ```
 */
import { normalize } from './normalize.ts';

export interface EmbedInputPassage {
  noticeId: string;
  headingPath: readonly string[];
  problem: string | null;
  text: string;
}

export interface EmbedInputOptions {
  /** A heading over at most this many passages of its notice names a specific topic. */
  specificMaxPassages?: number;
  /** Whole input, in characters. The model reads 512 tokens. */
  maxChars?: number;
  /** Context (headings and problem) at most, in characters; the text gets the rest. */
  maxContextChars?: number;
}

const defaults: Required<EmbedInputOptions> = {
  specificMaxPassages: 8,
  maxChars: 500,
  maxContextChars: 160,
};

/** Inputs for passages, in order. Pass every passage of a notice together: context is counted per notice. */
export function embedInputs(passages: readonly EmbedInputPassage[], options: EmbedInputOptions = {}): string[] {
  const opts = { ...defaults, ...options } satisfies Required<EmbedInputOptions>;
  const under = new Map<string, number>();
  for (const p of passages) {
    for (let d = 1; d <= p.headingPath.length; d++) {
      const key = headingKey(p.noticeId, p.headingPath, d);
      under.set(key, (under.get(key) ?? 0) + 1);
    }
  }
  return passages.map((p) => {
    const text = p.text.trim();
    const normText = normalize(text);
    const context: string[] = [];
    p.headingPath.forEach((h, i) => {
      const heading = h.trim();
      if (!heading || (under.get(headingKey(p.noticeId, p.headingPath, i + 1)) ?? 0) > opts.specificMaxPassages) return;
      if (echoes(normText, normalize(heading))) return;
      context.push(heading);
    });
    const problem = p.problem?.trim();
    if (problem) {
      const np = normalize(problem);
      if (!normText.includes(np) && !context.some((h) => normalize(h).includes(np))) context.push(problem);
    }
    return compose(context, text, opts);
  });
}

/** One passage on its own (no notice to count headings in): its text and problem. */
export function embedInput(passage: Omit<EmbedInputPassage, 'noticeId' | 'headingPath'>, options: EmbedInputOptions = {}): string {
  return embedInputs([{ ...passage, noticeId: '', headingPath: [] }], options)[0]!;
}

function headingKey(noticeId: string, path: readonly string[], depth: number): string {
  return noticeId + '\u0000' + path.slice(0, depth).join('\u0001');
}

/** Whether the text opens with the heading (the parser often keeps "(7)村医服务基层方面。" in the text). */
function echoes(normText: string, normHeading: string): boolean {
  const head = normHeading.slice(0, 12);
  return normText.startsWith(head) || normText.slice(0, normHeading.length + 8).includes(head);
}

function compose(context: string[], text: string, opts: Required<EmbedInputOptions>): string {
  let ctx = '';
  for (const c of context) {
    const line = Array.from(c).slice(0, opts.maxContextChars).join('');
    const next = ctx ? `${ctx}\n${line}` : line;
    if (Array.from(next).length > opts.maxContextChars) break;
    ctx = next;
  }
  const whole = ctx ? `${ctx}\n${text}` : text;
  const chars = Array.from(whole);
  return chars.length > opts.maxChars ? chars.slice(0, opts.maxChars).join('') : whole;
}
