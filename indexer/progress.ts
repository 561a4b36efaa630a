import type { IndexSummary } from './run.ts';

/**
 * A progress line on stderr: redrawn in place on a terminal, a line every few seconds otherwise
 * (CI logs, pipes).
 */
export interface ProgressBar {
  update(done: number, total: number, label?: string): void;
  done(message?: string): void;
}

export function createProgressBar(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const tty = stream.isTTY === true;
  let lastLog = 0;
  let lastLine = '';
  return {
    update(done, total, label = '') {
      const width = 24;
      const frac = total > 0 ? Math.min(1, done / total) : 0;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const line = `${title} [${bar}] ${done}/${total} ${label}`.slice(0, (stream.columns || 100) - 1);
      if (tty) {
        stream.write(`\r${line}\x1b[K`);
      } else if (Date.now() - lastLog > 3000 && line !== lastLine) {
        stream.write(line + '\n');
        lastLog = Date.now();
      }
      lastLine = line;
    },
    done(message) {
      if (tty) stream.write('\r\x1b[K');
      if (message) stream.write(message + '\n');
    },
  };
}

export function formatSummary(s: IndexSummary): string {
  const lines = [
    `${s.rebuilt ? 'rebuilt' : 'updated'} in ${s.seconds.toFixed(1)} s: ${s.files} files (${s.indexed} indexed, ${s.unchanged} unchanged, ${s.skipped.length} skipped${s.pruned ? `, ${s.pruned} pruned` : ''}), ${s.notices} notices, ${s.passages} passages${s.resumed ? ' (a rebuild cut short, resumed)' : ''}${s.reconciled.removed ? `; ${s.reconciled.removed} notices no file holds any more removed` : ''}`,
  ];
  for (const k of s.skipped) lines.push(`  skipped ${k.file}: ${k.reason}`);
  return lines.join('\n');
}
