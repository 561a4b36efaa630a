import { describe, expect, it } from 'vitest';
import { highlight, matchSpans } from './highlight.ts';

describe('highlight', () => {
  it('marks matches on the original text, whatever its width or script', () => {
    expect(highlight('推進醫共體建設', ['医共体'])).toBe('推進<mark>醫共體</mark>建設');
    expect(highlight('ＩＣＵ病房', ['icu'])).toBe('<mark>ＩＣＵ</mark>病房');
  });
  it('escapes everything else, including markup inside a match', () => {
    expect(highlight('<script>alert(1)</script>医共体', ['医共体'])).toBe('&lt;script&gt;alert(1)&lt;/script&gt;<mark>医共体</mark>');
    expect(highlight('<img onerror=x>', ['img'])).toBe('&lt;<mark>img</mark> onerror=x&gt;');
  });
  it('merges overlapping matches of several terms', () => {
    expect(matchSpans('县域医共体建设', ['医共体', '共体建设'])).toEqual([[2, 7]]);
  });
  it('takes the same spans on text that is already normal (the fast path) as through the map', () => {
    expect(matchSpans('县域医共体建设,医共体', ['医共体'])).toEqual([[2, 5], [8, 11]]);
    expect(matchSpans('县域醫共体建设,医共体', ['医共体'])).toEqual([[2, 5], [8, 11]]);
  });
  it('maps across dropped spaces', () => {
    expect(highlight('医 共 体', ['医共体'])).toBe('<mark>医 共 体</mark>');
  });
});
