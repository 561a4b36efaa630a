import { describe, expect, it } from 'vitest';
import { embedInput, embedInputs, type EmbedInputPassage } from './embed-input.ts';

const outer = ['二、巡察反馈问题整改落实情况', '(一)聚焦党中央决策部署在基层贯彻落实情况方面'];

/** A notice whose two outer headings stand over many passages and whose leaf headings over two each. */
function notice(): EmbedInputPassage[] {
  const out: EmbedInputPassage[] = [];
  for (let k = 1; k <= 6; k++) {
    const leaf = `(${k})第${k}项问题方面`;
    out.push({ noticeId: 'n1', headingPath: [...outer, leaf], problem: null, text: `${leaf}。一是措施${k}甲。` });
    out.push({ noticeId: 'n1', headingPath: [...outer, leaf], problem: null, text: `二是措施${k}乙。` });
  }
  return out;
}

describe('embedInputs', () => {
  it('puts the specific heading before a measure that does not name its topic', () => {
    const inputs = embedInputs(notice());
    expect(inputs[1]).toBe('(1)第1项问题方面\n二是措施1乙。');
  });

  it('leaves out template headings that stand over much of the notice', () => {
    for (const input of embedInputs(notice())) expect(input).not.toContain('聚焦党中央决策部署');
  });

  it('does not repeat a heading the text already opens with', () => {
    expect(embedInputs(notice())[0]).toBe('(1)第1项问题方面。一是措施1甲。');
  });

  it('adds the problem when neither the text nor the headings state it', () => {
    const [input] = embedInputs([{ noticeId: 'n', headingPath: [], problem: '采购管理不规范', text: '一是修订采购时限管理办法。' }]);
    expect(input).toBe('采购管理不规范\n一是修订采购时限管理办法。');
    const [same] = embedInputs([{ noticeId: 'n', headingPath: ['(五)采购管理不规范'], problem: '采购管理不规范', text: '一是修订采购时限管理办法。' }]);
    expect(same).toBe('(五)采购管理不规范\n一是修订采购时限管理办法。');
  });

  it('counts headings per notice: the same heading text in another notice is another heading', () => {
    const a = notice();
    const b = a.map((p) => ({ ...p, noticeId: 'n2' }));
    expect(embedInputs([...a, ...b])).toEqual([...embedInputs(a), ...embedInputs(b)]);
  });

  it('stays within the model window: bounded context, text cut at maxChars', () => {
    const long = '加强村卫生室建设'.repeat(100);
    const [input] = embedInputs([{ noticeId: 'n', headingPath: ['很长的标题'.repeat(50)], problem: null, text: long }]);
    expect(Array.from(input!).length).toBe(500);
    const [context, text] = input!.split('\n');
    expect(context!.length).toBe(160);
    expect(text!.startsWith('加强村卫生室建设')).toBe(true);
  });

  it('is deterministic (the embedding cache keys on its output)', () => {
    expect(embedInputs(notice())).toEqual(embedInputs(notice()));
  });
});

describe('embedInput', () => {
  it('embeds a lone passage as its text', () => {
    expect(embedInput({ problem: null, text: ' 加强村卫生室建设 ' })).toBe('加强村卫生室建设');
  });
});
