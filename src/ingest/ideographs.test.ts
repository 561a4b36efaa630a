import { describe, expect, it } from 'vitest';
import { unifyIdeographs, unreadableShare } from './ideographs.ts';

describe('unifyIdeographs', () => {
  it('puts back the ideographs a PDF font names as Kangxi radicals, supplement forms or compatibility ideographs', () => {
    expect(unifyIdeographs('⼈⺠群众反映的⾏政执法问题，⻔诊⽇均⼈次')).toBe('人民群众反映的行政执法问题，门诊日均人次');
    expect(unifyIdeographs('\uf9f1')).toBe('\u96a3');
  });

  it('leaves text that is already right alone, including full-width forms', () => {
    const text = '区卫健局（一）关于“第一议题”制度，２０２１年';
    expect(unifyIdeographs(text)).toBe(text);
  });
});

describe('unreadableShare', () => {
  it('counts private-use glyph codes and replacement characters, not white space', () => {
    expect(unreadableShare('\ue001\ue002 \ue003医')).toBe(0.75);
    expect(unreadableShare('正常的文字 text')).toBe(0);
    expect(unreadableShare('')).toBe(0);
  });
});
