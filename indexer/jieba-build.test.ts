import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Resident MB a fresh process gains by loading jieba's dictionaries, and one keyword extraction. */
function loadCost(): { mb: number; keywords: string[] } {
  const script = `
    const j = require('nodejieba');
    const before = process.memoryUsage().rss;
    j.load({});
    const keywords = j.extract('推进紧密型县域医共体建设', 2).map((w) => w.word);
    console.log(JSON.stringify({ mb: (process.memoryUsage().rss - before) / 1048576, keywords }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' })) as { mb: number; keywords: string[] };
}

describe('nodejieba as the postinstall step builds it (indexer/jieba-build.ts)', () => {
  it('loads one copy of the dictionary, and keyword extraction still works', () => {
    const { mb, keywords } = loadCost();
    // Stock nodejieba holds a second copy for TextRank: ~243 MB here; without it ~130 MB.
    expect(mb).toBeLessThan(190);
    expect(keywords).toContain('医共体');
  });
});
