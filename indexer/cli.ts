/**
 * npm run index -- <file or folder>... [--rebuild] [--prune] [--url <page URL>]
 */
import { stat } from 'node:fs/promises';
import { readConfig } from '../src/config.ts';
import { httpUrl } from '../src/enrich.ts';
import { createProgressBar, formatSummary } from './progress.ts';
import { runIndex } from './run.ts';
import { openRuntime } from '../runtime/runtime.ts';

const USAGE = 'usage: npm run index -- <file or folder>... [--rebuild] [--prune] [--url <page URL> (with one file)]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--url');
  const url = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0) {
    if (url === undefined || httpUrl(url) === null) throw new Error(`--url: an http(s) URL is expected\n${USAGE}`);
    args.splice(at, 2);
  }
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const paths = args.filter((a) => !a.startsWith('--'));
  for (const f of flags) if (!['--rebuild', '--prune'].includes(f)) throw new Error(`unknown option ${f}\n${USAGE}`);
  if (paths.length === 0) throw new Error(USAGE);
  // One URL names one page: with a folder or several files it would be every file's.
  if (url !== undefined && (paths.length !== 1 || (await stat(paths[0] as string)).isDirectory())) throw new Error(`--url goes with a single file\n${USAGE}`);
  const runtime = await openRuntime(readConfig(), undefined, { progress: true });
  const bar = createProgressBar('indexing');
  try {
    const summary = await runIndex(runtime.engine, runtime.indexContext(), {
      paths,
      rebuild: flags.has('--rebuild'),
      prune: flags.has('--prune'),
      urls: url === undefined ? undefined : new Map([[paths[0] as string, httpUrl(url) as string]]),
      onProgress: (p) => bar.update(p.filesDone, p.files, p.phase === 'swap' ? 'swapping in' : `${p.passages} passages`),
    });
    bar.done(formatSummary(summary));
  } finally {
    await runtime.close();
  }
}

main().catch((e: Error) => {
  console.error(`index: ${e.message}`);
  process.exit(1);
});
