/**
 * npm run index -- <file or folder>... [--rebuild] [--prune]
 */
import { readConfig } from '../src/config.ts';
import { createProgressBar, formatSummary } from './progress.ts';
import { runIndex } from './run.ts';
import { openRuntime } from '../runtime/runtime.ts';

const USAGE = 'usage: npm run index -- <file or folder>... [--rebuild] [--prune]';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const paths = args.filter((a) => !a.startsWith('--'));
  for (const f of flags) if (!['--rebuild', '--prune'].includes(f)) throw new Error(`unknown option ${f}\n${USAGE}`);
  if (paths.length === 0) throw new Error(USAGE);
  const runtime = await openRuntime(readConfig(), undefined, { progress: true });
  const bar = createProgressBar('indexing');
  try {
    const summary = await runIndex(runtime.engine, runtime.indexContext(), {
      paths,
      rebuild: flags.has('--rebuild'),
      prune: flags.has('--prune'),
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
