import { describe, expect, it } from 'vitest';
import { htmlPageUrl, takeUrlLine } from './source-url.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

describe('takeUrlLine', () => {
  it('reads a URL: first line and blanks it, keeping the line count', () => {
    const { url, bytes: rest } = takeUrlLine(bytes('\uFEFFURL：https://wjw.zhuzhou.gov.cn/c1/1.html\r\n标题\n正文'));
    expect(url).toBe('https://wjw.zhuzhou.gov.cn/c1/1.html');
    // The BOM stays for the decoder; the line's break stays, so 标题 is still line 2.
    expect(text(rest)).toBe('\uFEFF\n标题\n正文');
  });

  it('leaves a file without one as it is', () => {
    const input = bytes('中共某县卫生健康局党组关于巡察整改进展情况的通报\n正文');
    expect(takeUrlLine(input)).toEqual({ url: null, bytes: input });
    expect(takeUrlLine(bytes('URL: not a url\n正文')).url).toBeNull();
    expect(takeUrlLine(bytes('正文提到 URL: https://a.cn/ 在第一行中间')).url).toBeNull();
  });
});

describe('htmlPageUrl', () => {
  it('reads the address a saved page states in its head', () => {
    expect(htmlPageUrl(bytes('<!-- saved from url=(0045)https://www.alsyq.gov.cn/art/2025/10/9/a.html -->\n<html><head></head><body></body></html>'))).toBe('https://www.alsyq.gov.cn/art/2025/10/9/a.html');
    expect(htmlPageUrl(bytes('<html><head><link rel="canonical" href="http://wsj.yancheng.gov.cn/art/1.html"></head><body>…</body></html>'))).toBe('http://wsj.yancheng.gov.cn/art/1.html');
    expect(htmlPageUrl(bytes('<html><head><meta property="og:url" content="https://wjw.zhuzhou.gov.cn/c/2.html?a=1&amp;b=2"></head></html>'))).toBe('https://wjw.zhuzhou.gov.cn/c/2.html?a=1&b=2');
  });

  it('ignores links in the body and pages without one', () => {
    expect(htmlPageUrl(bytes('<html><head><title>t</title></head><body><link rel="canonical" href="https://x.cn/"></body></html>'))).toBeNull();
    expect(htmlPageUrl(bytes('<html><head><link rel="stylesheet" href="https://x.cn/a.css"></head></html>'))).toBeNull();
  });
});
