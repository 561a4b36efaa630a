import { describe, expect, it } from 'vitest';
import { createVocabulary } from './vocabulary.ts';

describe('createVocabulary', () => {
  it('counts each passage once per term: its central terms and every dictionary term it holds', () => {
    const v = createVocabulary(['医保基金', '发热门诊', '医保']);
    v.add('加强医保基金监管,医保基金专款专用', ['基金监管']);
    v.add('规范发热门诊设置', ['发热门诊', '设置']);
    v.add('推进分级诊疗', ['分级诊疗']);
    expect(Object.fromEntries(v.counts())).toEqual({ 基金监管: 1, 医保基金: 1, 医保: 1, 发热门诊: 1, 设置: 1, 分级诊疗: 1 });
    v.add('医保基金', []);
    expect(v.counts().get('医保基金')).toBe(2);
  });

  it('finds a dictionary term at the very end of a passage and ignores one-character entries', () => {
    const v = createVocabulary(['台账', '账']);
    v.add('建立整改台账', []);
    expect([...v.counts().keys()]).toEqual(['台账']);
  });
});
