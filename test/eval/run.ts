/**
 * npm run eval [-- --keyword-file F]: quality figures measured on the bundled corpus through the
 * HTTP API, against a fresh engine. Prints a table per section and the means.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startStack, ROOT } from '../helpers/stack.ts';
import { allPassages, evaluateTerm, type TermResult } from './keyword.ts';

interface KeywordEval {
  terms: string[];
  synonyms?: Record<string, string[]>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function table(results: TermResult[]): string {
  const rows = results.map((r) =>
    `| ${r.term} | ${r.truth} | ${r.returned} | ${r.total} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.countsEqual ? 'yes' : 'NO: ' + r.facetMismatches.slice(0, 3).join('; ')} |`,
  );
  const mean = (f: (r: TermResult) => number) => (results.reduce((a, r) => a + f(r), 0) / results.length).toFixed(3);
  return [
    '| term | truth | returned | total | precision | recall | counts equal |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...rows,
    `| **mean** (${results.length} queries) | | | | **${mean((r) => r.precision)}** | **${mean((r) => r.recall)}** | **${results.filter((r) => r.countsEqual).length}/${results.length}** |`,
  ].join('\n');
}

async function main(): Promise<void> {
  const file = arg('--keyword-file', path.join(ROOT, 'test/data/keyword.public.json'));
  const spec = JSON.parse(readFileSync(file, 'utf8')) as KeywordEval;
  console.error('starting engine and indexing data/corpus …');
  const stack = await startStack();
  try {
    const passages = await allPassages(stack);
    console.log(`\n## Keyword exactness (${path.relative(ROOT, file)}; ${passages.length} passages)\n`);
    const results: TermResult[] = [];
    for (const term of spec.terms) {
      results.push(await evaluateTerm(stack, passages, term, [[term, ...(spec.synonyms?.[term] ?? [])]]));
    }
    console.log(table(results));
    const failed = results.filter((r) => r.precision < 1 || r.recall < 1 || !r.countsEqual);
    if (failed.length) process.exitCode = 1;
  } finally {
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
