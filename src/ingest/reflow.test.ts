import { describe, expect, it } from 'vitest';
import { isPageNumber, reflow, type LaidLine, type LaidPage } from './reflow.ts';

// An A4 page set like an official document: 16 pt body from x = 77 to 525 (28 characters),
// first lines indented two characters, 29 pt line pitch.
const LEFT = 77;
const SIZE = 16;
const FULL = 28;

function body(text: string, y: number, indent = 0): LaidLine {
  const x0 = LEFT + indent * SIZE;
  return { x0, x1: x0 + [...text].length * SIZE, y, size: SIZE, text };
}

function centred(text: string, y: number, size: number): LaidLine {
  const width = [...text].length * size;
  return { x0: 297.5 - width / 2, x1: 297.5 + width / 2, y, size, text };
}

const page = (...lines: LaidLine[]): LaidPage => ({ width: 595, height: 842, lines });

/** A paragraph's text laid into lines of 28 characters, the first indented by two. */
function lay(text: string, top: number): LaidLine[] {
  const chars = [...text];
  const lines: LaidLine[] = [];
  let i = 0;
  let y = top;
  while (i < chars.length) {
    const room = lines.length === 0 ? FULL - 2 : FULL;
    lines.push(body(chars.slice(i, i + room).join(''), y, lines.length === 0 ? 2 : 0));
    i += room;
    y -= 29;
  }
  return lines;
}

const P1 = '区委巡察组反馈意见后，局党组书记立即主持召开党组会议，进一步传达反馈意见。局党组组织召开专题民主生活会，班子成员认真开展批评与自我批评。';
const P2 = '二、巡察反馈意见整改落实情况';

describe('reflow', () => {
  it('joins the lines of a paragraph and starts a new one at an indented line', () => {
    const laid = lay(P1, 700);
    expect(laid).toHaveLength(3);
    const lines = [...laid, body(P2, 700 - 29 * 3, 2)];
    expect(reflow([page(...lines)])).toEqual([P1, P2]);
  });

  it('joins a paragraph across a page break, past the page number and the running head', () => {
    const laid = lay(P1, 150);
    const [first, ...rest] = laid as [LaidLine, ...LaidLine[]];
    const head = (y: number) => centred('揭东区卫生健康局文件', y, 12);
    const pages = [
      page(head(774), first, laid[1] as LaidLine, centred('— 1 —', 60, 14)),
      page(head(774), ...rest.slice(1).map((l, i) => ({ ...l, y: 714 - 29 * i })), body(P2, 714 - 29 * rest.length, 2), centred('— 2 —', 60, 14)),
    ];
    expect(reflow(pages)).toEqual([P1, P2]);
  });

  it('keeps a title wrapped over two centred lines whole, apart from the body', () => {
    const title = ['中共某县卫生健康局党组关于县委第三巡察', '组巡察反馈意见整改进展情况的通报'];
    const lines = [centred(title[0] as string, 709, 22), centred(title[1] as string, 674, 22), ...lay(P1, 615)];
    expect(reflow([page(...lines)])).toEqual([title.join(''), P1]);
  });

  it('keeps right-aligned signature and date lines apart', () => {
    const sign = { x0: 300, x1: 510, y: 300, size: SIZE, text: '中共某县卫生健康局党组' };
    const date = { x0: 330, x1: 490, y: 271, size: SIZE, text: '2024年1月5日' };
    expect(reflow([page(...lay(P1, 500), sign, date)])).toEqual([P1, sign.text, date.text]);
  });

  it('ends a flush-left paragraph at a full line that closes a sentence before a heading', () => {
    const heading = body('（二）坚持切实可行，细化工作措施。', 671);
    const closing = body('由局党组书记任组长，相关股室负责人任成员，统筹协调落实。', 700);
    expect([...closing.text]).toHaveLength(FULL);
    const wrapped = body('由局党组书记任组长，相关股室负责人任成员，统筹协调抓好落', 700);
    expect(reflow([page(wrapped, body('实各项任务。', 671))])).toEqual([`${wrapped.text}实各项任务。`]);
    expect(reflow([page(closing, heading)])).toEqual([closing.text, heading.text]);
  });

  it('follows each page\'s own margins (pages printed for binding) and drops a head printed on one page only', () => {
    const X = P1 + P1;
    const shifted = (lines: LaidLine[], top: number) => lines.map((l, i) => ({ ...l, x0: l.x0 + 20, x1: l.x1 + 20, y: top - 29 * i }));
    const x = lay(X, 613);
    expect(x).toHaveLength(5);
    const second = [...shifted(x.slice(3), 714), ...shifted([body(P2, 0, 2)], 656), ...shifted(lay(P1, 0), 627), ...shifted(lay(P1, 0), 540)];
    const pages = [page(...lay(P1, 700), ...x.slice(0, 3)), page(centred('附件二', 774, 10.5), ...second)];
    expect(reflow(pages)).toEqual([P1, X, P2, P1, P1]);
  });

  it('reads the line pitch from the document: double-spaced lines still join, a paragraph gap still parts', () => {
    const spaced = lay(P1, 700).map((l, i) => ({ ...l, y: 700 - 42 * i }));
    const next = body(P2, 700 - 42 * spaced.length - 30, 2);
    expect(reflow([page(...spaced, ...lay(P1, 400).map((l, i) => ({ ...l, y: 400 - 42 * i })), next)])).toEqual([P1, P1, P2]);
  });

  it('joins a ragged line left short by a number that did not fit', () => {
    const short = body('局党组先后召开整改工作会议，研究部署巡察整改任务，于', 0, 0);
    expect([...short.text].length).toBe(FULL - 2);
    // Under a paragraph of full lines, which sets the right margin.
    const above = lay(P1 + P1, 700);
    const at = (l: LaidLine, y: number) => ({ ...l, y });
    expect(reflow([page(...above, at(short, 555), body('2021年9月底前完成。', 526))])).toEqual([P1 + P1, `${short.text}2021年9月底前完成。`]);
    expect(reflow([page(...above, at(short, 555), body('年底前完成。', 526))])).toEqual([P1 + P1, short.text, '年底前完成。']);
  });

  it('keeps the last lines of a paragraph on a short last page, above a signature set larger', () => {
    const laid = lay(P1 + P1, 613);
    const rest = laid.slice(3).map((l, i) => ({ ...l, y: 760 - 29 * i }));
    const sign = { x0: 300, x1: 510, y: 690, size: 18, text: '中共某县卫生健康局党组' };
    expect(reflow([page(...lay(P1, 700), ...laid.slice(0, 3)), page(...rest, sign)])).toEqual([P1, P1 + P1, sign.text]);
  });

  it('joins ragged-right lines (set flush left, no two ending alike) and parts paragraphs by their gap', () => {
    const chars = [...(P1 + P1 + P1)];
    // Latin digits and words end lines short by a little, never by the same amount twice.
    const shortBy = [0.5, 1.1, 0.3, 0.8, 0.2, 1.0, 0.6];
    const lines: LaidLine[] = [];
    let i = 0;
    shortBy.forEach((short, n) => {
      const take = n === shortBy.length - 1 ? chars.length - i : 27;
      const text = chars.slice(i, i + take).join('');
      i += take;
      lines.push({ x0: LEFT, x1: LEFT + FULL * SIZE - short * SIZE, y: 700 - 25 * n, size: SIZE, text });
    });
    (lines[lines.length - 1] as LaidLine).x1 = LEFT + 5 * SIZE;
    const after = { x0: LEFT, x1: LEFT + 10 * SIZE, y: 700 - 25 * shortBy.length - 14, size: SIZE, text: '二、下一步工作打算' };
    expect(reflow([page(...lines, after)])).toEqual([P1 + P1 + P1, after.text]);
  });

  it('recognises page numbers as official documents and office software print them', () => {
    for (const n of ['— 3 —', '-3-', '- 12 -', '3', '第3页 共9页', '第 3 页，共 9 页', '3/9', 'Page 3 of 9', '—3—']) expect(isPageNumber(n), n).toBe(true);
    for (const t of ['3.针对问题', '2024年', '一、总体情况', '第三巡察组']) expect(isPageNumber(t), t).toBe(false);
  });

  it('keeps a line that is only a number when it sits inside the page', () => {
    const lines = [...lay(P1, 700), body('12', 500), ...lay(P1, 470)];
    expect(reflow([page(...lines)])).toContain('12');
  });
});
