import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, formatOf, htmlToText, ingest, markdownToText, shadow, stripChrome, type SourceDoc } from './index.ts';

const corpus = (name: string) => readFileSync(new URL(`../../data/corpus/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));

function doc(name: string, bytes: Uint8Array): SourceDoc {
  const result = ingest(name, bytes);
  if (!result.ok) throw new Error(`${name} was skipped: ${result.skipped.detail}`);
  return result.doc;
}

const textOf = (d: SourceDoc) => d.lines.map((l) => l.text).join('\n');

describe('decoding', () => {
  it('reads UTF-8, UTF-8 with a BOM, GBK and Big5 by detection, not by name', () => {
    expect(doc('000.txt', corpus('000_5a1fc9c7415e11bf.txt')).encoding).toBe('UTF-8');
    expect(doc('004.txt', fixture('004-bom.txt')).encoding).toBe('UTF-8 (BOM)');
    expect(doc('000.txt', fixture('000-gbk.txt')).encoding).toBe('GB18030');
    expect(doc('003.txt', fixture('003-big5.txt')).encoding).toBe('Big5');
  });

  it('decodes a GBK copy to exactly the UTF-8 text, and a BOM copy without the BOM', () => {
    expect(textOf(doc('a.txt', fixture('000-gbk.txt')))).toBe(textOf(doc('b.txt', corpus('000_5a1fc9c7415e11bf.txt'))));
    const bom = textOf(doc('a.txt', fixture('004-bom.txt')));
    expect(bom).toBe(textOf(doc('b.txt', corpus('004_387fccef8635e036.txt'))));
    expect(bom.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('keeps traditional characters as written', () => {
    const big5 = textOf(doc('003.txt', fixture('003-big5.txt')));
    expect(big5).toContain('整改落實情況');
    expect(big5).not.toContain('整改落实情况');
  });

  it('trusts an HTML charset declaration only when it decodes cleanly', () => {
    const gbk = new Uint8Array(fixture('002-gb2312.htm'));
    expect(decode(gbk, 'gb2312')).toMatchObject({ ok: true, encoding: 'gb2312' });
    // A wrong declaration is not believed: chardet's reading wins.
    expect(decode(gbk, 'big5')).toMatchObject({ ok: true, encoding: 'GB18030' });
  });
});

describe('files that are not notices', () => {
  const reasonOf = (name: string, bytes: Uint8Array) => {
    const result = ingest(name, bytes);
    return result.ok ? 'parsed' : result.skipped.reason;
  };

  it('reports empty, blank, binary, undecodable and unsupported files with a reason', () => {
    expect(reasonOf('empty.txt', fixture('empty.txt'))).toBe('empty');
    expect(reasonOf('blank.txt', fixture('blank.txt'))).toBe('empty');
    expect(reasonOf('image.txt', fixture('image.txt'))).toBe('binary');
    expect(reasonOf('binary.txt', fixture('binary.txt'))).toBe('binary');
    expect(reasonOf('garbled.txt', fixture('garbled.txt'))).toBe('undecodable');
    expect(reasonOf('notes.pdf', fixture('notes.pdf'))).toBe('unsupported-type');
  });

  it('names the file in the report', () => {
    const result = ingest('dir/image.txt', fixture('image.txt'));
    expect(result).toEqual({ ok: false, skipped: { source: 'dir/image.txt', reason: 'binary', detail: 'PNG image' } });
  });

  it('knows formats by extension', () => {
    expect(['a.txt', 'b.HTML', 'c.htm', 'd.md', 'e.pdf', 'f.DOCX', 'g.doc', 'h.xls', 'i'].map(formatOf)).toEqual(['txt', 'html', 'html', 'md', 'pdf', 'docx', 'doc', null, null]);
  });
});

describe('site chrome', () => {
  it('drops the chrome lines of the corpus pages and keeps their values as metadata', () => {
    const d000 = doc('000.txt', corpus('000_5a1fc9c7415e11bf.txt'));
    expect(d000.meta).toEqual({ 来源: '县卫生健康局', 发布时间: '2025-01-15 17:16' });
    const t000 = textOf(d000);
    for (const chrome of ['政府信息公开', '浏览次数', '字体', '打印', '扫一扫在手机打开当前页']) expect(t000).not.toContain(chrome);

    const d002 = doc('002.txt', corpus('002_34c8a5f831b05f15.txt'));
    expect(d002.meta).toMatchObject({ 日期: '2024-10-23', 来源: '江西卫生健康委员会', 作者: '佚名', 原文链接: 'http://hc.jiangxi.gov.cn/art/2024/10/21/art_38017_5036893.html' });
    const t002 = textOf(d002);
    for (const chrome of ['您的位置', '首页 >', '免责声明', '原文链接', '版权归原作者']) expect(t002).not.toContain(chrome);

    const t001 = textOf(doc('001.txt', corpus('001_e0ca4acfbf13808d.txt')));
    for (const chrome of ['Copyright', '版权所有', '640661@qq.com', 'ICP']) expect(t001).not.toContain(chrome);
  });

  it('keeps prose that merely shares words with chrome', () => {
    const t001 = textOf(doc('001.txt', corpus('001_e0ca4acfbf13808d.txt')));
    expect(t001).toContain('打印资料费');
    expect(t001).toContain('今年在政府信息公开网共公开信息38条');
    // The notice's own invitation to write in is the notice's, not the site's complaint line.
    const t000 = textOf(doc('000.txt', corpus('000_5a1fc9c7415e11bf.txt')));
    expect(t000).toContain('电子邮箱:pxwjjdb2024@163.com');
  });

  it('keeps source line numbers, so a report can point back into the file', () => {
    const { lines } = stripChrome('政府信息公开\n\n标题\n来源:某局 发布时间:2025-01-15\n正文。');
    expect(lines.filter((l) => l.text !== '')).toEqual([
      { no: 3, text: '标题' },
      { no: 5, text: '正文。' },
    ]);
  });
});

describe('HTML', () => {
  const page = doc('002.html', fixture('002.html'));
  const text = textOf(page);

  it('takes the article, not menus, sidebars, footers or scripts', () => {
    expect(text).toContain('一、提高政治站位,落实整改责任,构建有力有效整改机制');
    for (const chrome of ['政务公开', '热点新闻', '全省卫生健康工作会议召开', '主办单位', 'ICP', '菜单脚本', '统计代码', 'console.log', 'text-indent']) {
      expect(text).not.toContain(chrome);
    }
  });

  it('puts the page title first and reads the metadata line beside the article', () => {
    expect(page.lines[0]?.text).toBe('中共江西省卫生健康委员会党组关于十五届省委第四轮巡视整改进展情况的通报');
    expect(page.meta).toMatchObject({ 日期: '2024-10-23', 来源: '江西卫生健康委员会', 作者: '佚名' });
  });

  it('yields the same lines as the text copy of the page', () => {
    const plain = doc('002.txt', corpus('002_34c8a5f831b05f15.txt'));
    const squash = (d: SourceDoc) => d.lines.map((l) => l.text).filter((t) => t !== '');
    expect(squash(page)).toEqual(squash(plain));
  });

  it('decodes entities and survives tag soup', () => {
    const { text: soup, title } = htmlToText('<title>通报 - 某网站</title><div><p>甲&amp;乙&#x4E00;&nbsp;丙<p>第二段<br>第三行</div></span>');
    expect(soup.split('\n')).toEqual(['甲&乙一 丙', '第二段', '第三行']);
    expect(title).toBeNull(); // "通报" is too short to be a notice title
  });
});

describe('Markdown', () => {
  it('drops markup but keeps numbered markers, which are headings in these notices', () => {
    const { text, title } = markdownToText('---\ntitle: 某局通报\n---\n# 标题\n\n## 一、整改情况\n\n1. **强化**领导。\n- [链接](http://x)\n');
    expect(title).toBe('某局通报');
    expect(text.split('\n').filter((l) => l !== '')).toEqual(['标题', '一、整改情况', '1. 强化领导。', '链接']);
  });
});

describe('shadow', () => {
  it('keeps the length, folds full width and simplifies, but leaves circled numbers alone', () => {
    const text = '（一）整改落實情況：①加強。';
    const sc = shadow(text);
    expect(sc).toHaveLength(text.length);
    expect(sc).toBe('(一)整改落实情况:①加强。');
  });
});
