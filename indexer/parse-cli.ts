/**
 * `npm run parse -- <file or folder>… [--json out.json]`: parses without indexing and prints
 * what came out — per file its notices, and per notice title, issuer, region, level and dates —
 * so a reader can check the parsing stages on real pages. --json writes the records.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseFile, type ParseResult } from '../src/parse.ts';
import type { Notice } from '../src/notice.ts';
import { listFiles } from './files.ts';

function usage(): never {
  console.error('usage: npm run parse -- <file or folder>... [--json out.json]');
  process.exit(2);
}

function args(argv: string[]): { paths: string[]; json: string | null } {
  const paths: string[] = [];
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') json = argv[++i] ?? usage();
    else if (arg.startsWith('--json=')) json = arg.slice('--json='.length);
    else if (arg === '-h' || arg === '--help') usage();
    else paths.push(arg);
  }
  return { paths: paths.length > 0 ? paths : ['data/corpus'], json };
}

const dash = (v: string | null) => v ?? '—';

function describe(n: Notice): string {
  const region = [n.province, n.city, n.county].filter((v) => v !== null).join(' ') || '—';
  const lengths = n.passages.map((p) => [...p.text].length);
  const period = n.inspectionStart !== null || n.inspectionEnd !== null ? `${dash(n.inspectionStart)} ~ ${dash(n.inspectionEnd)}` : '—';
  return [
    `  ● ${n.title}`,
    `    id ${n.id} · ${n.level} · ${dash(n.inspection)} · org ${dash(n.org)}`,
    `    region ${region}${n.sourceUrl === null ? '' : ` · ${n.sourceUrl}`}`,
    `    inspected ${period} · feedback ${dash(n.feedbackDate)} · published ${dash(n.publishDate)}`,
    `    passages ${n.passages.length} (${Math.min(...lengths)}–${Math.max(...lengths)} chars)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { paths, json } = args(process.argv.slice(2));
  const { files, errors } = await listFiles(paths);
  const results: ParseResult[] = [];
  for (const file of files) {
    const result = await parseFile(file, await readFile(file));
    results.push(result);
    if (result.ok) {
      const passages = result.notices.reduce((n, notice) => n + notice.passages.length, 0);
      console.log(`${file}  [${result.format}, ${result.encoding}]  ${result.notices.length} notice(s), ${passages} passages`);
      for (const notice of result.notices) console.log(describe(notice));
    } else {
      console.log(`${file}  skipped: ${result.reason} — ${result.detail}`);
    }
  }
  for (const e of errors) console.log(`${e.file}  skipped: ${e.reason}`);
  const notices = results.flatMap((r) => (r.ok ? r.notices : []));
  const skipped = results.filter((r) => !r.ok).length + errors.length;
  console.log(`\n${files.length} file(s): ${notices.length} notices, ${notices.reduce((n, x) => n + x.passages.length, 0)} passages, ${skipped} skipped`);
  if (json !== null) {
    const skippedList = [
      ...results.flatMap((r) => (r.ok ? [] : [{ source: r.source, reason: r.reason, detail: r.detail }])),
      ...errors.map((e) => ({ source: e.file, reason: 'unreadable', detail: e.reason })),
    ];
    await writeFile(json, JSON.stringify({ notices, skipped: skippedList }, null, 2) + '\n');
    console.log(`records written to ${json}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
