/**
 * Every structure of the parse dev set, parsed without the engine: each file yields exactly the
 * notices it holds (never one made of chrome), with their titles and orgs, and no passage of a
 * notice is a line of site chrome. `npm run eval` measures the rest (region, dates, URL) through
 * the API.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize } from '../src/normalize.ts';
import { parseFile } from '../src/parse.ts';
import { loadDevSet } from './eval/parse.ts';
import { ROOT } from './helpers/stack.ts';

const DIR = path.join(ROOT, 'test/data/parse.dev');
const entries = loadDevSet(path.join(ROOT, 'test/data/parse.dev.json'));
const squash = (s: string | null) => (s === null ? null : normalize(s).replace(/\s+/g, ''));
/**
 * Words of the chrome the dev pages carry and their texts never use: a passage holding one is a
 * piece of the site that got through.
 */
const CHROME_WORDS = [
  '当前位置', '您的位置', '现在位置', '首页', '字体', '字号', '打印', '关闭', '分享', '扫一扫', '扫码关注', '二维码', '微信扫', '微信公众号', '浏览', '点击数',
  '访问量', '阅读次数', '发布时间', '发布日期', '信息来源', '文章来源', '来源:', '责任编辑', '编辑:', 'icp', '公网安备', '网站标识码', '版权所有',
  'copyright', '主办', '承办', '上一篇', '下一篇', '上一条', '下一条', '相关文章', '相关链接', '网站欢迎', '欢迎访问', '欢迎进入', '登录', '注册', '免责声明', '原文链接', '.jpg',
  '索引号', '成文时间', '正在阅读', '记者', '纠错', '视力', '返回顶部', '网站地图', '联系我们',
];

describe('parse dev set', () => {
  it('holds at least 30 site structures', () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', async (_, entry) => {
    const result = await parseFile(entry.file, readFileSync(path.join(DIR, entry.file)));
    if (!result.ok) throw new Error(`${entry.file} was skipped: ${result.detail}`);
    expect(result.notices.map((n) => squash(n.title))).toEqual(entry.notices.map((n) => squash(n.title)));
    expect(result.notices.map((n) => squash(n.org))).toEqual(entry.notices.map((n) => squash(n.org)));
    for (const notice of result.notices) {
      const chrome = notice.passages.flatMap((p) => CHROME_WORDS.filter((w) => p.normText.includes(w)).map((w) => `${w}: ${p.text.slice(0, 40)}`));
      expect(chrome).toEqual([]);
    }
  });
});
