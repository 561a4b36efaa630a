/** Markdown: a .md file → plain lines and its title. */
import { decodeEntities } from './html.ts';
import type { PageText } from './html.ts';

/** Markdown → plain lines. Numbered list markers stay: "1." is a heading marker in these notices. */
export function markdownToText(md: string): PageText {
  let text = md.replace(/\r\n?/g, '\n');
  let title: string | null = null;
  const front = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (front !== null) {
    const t = /^title\s*:\s*["']?(.+?)["']?\s*$/m.exec(front[1] ?? '');
    if (t !== null) title = t[1] ?? null;
    text = text.slice(front[0].length);
  }
  const lines = text.split('\n');
  const out: string[] = [];
  let fenced = false;
  for (const raw of lines) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    let line = raw;
    if (!fenced) {
      const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
      if (heading !== null) {
        line = heading[2] ?? '';
        if (title === null && heading[1] === '#') title = line;
      }
      if (/^\s*([-*_]\s*){3,}$/.test(line)) line = '';
      line = line
        .replace(/^\s*>\s?/, '')
        .replace(/^\s*[-*+]\s+/, '')
        .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*/g, '$1$2')
        .replace(/`([^`]+)`/g, '$1')
        .replace(/<[^>]+>/g, '')
        .replace(/^\s*\|(.*)\|\s*$/, (_, cells: string) => cells.split('|').map((c) => c.trim()).join(' '));
      if (/^[\s|:-]+$/.test(line) && line.includes('-') && line.includes('|')) line = '';
      line = decodeEntities(line);
    }
    out.push(line);
  }
  return { text: out.join('\n'), title, chromeText: '' };
}
