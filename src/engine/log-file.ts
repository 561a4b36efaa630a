/**
 * A log file that another process writes, kept under a size: once it passes `maxBytes` it is
 * copied to `FILE.1` (replacing the older copy) and emptied in place, so at most about twice
 * `maxBytes` is ever on disk (logrotate's "copytruncate" with `rotate 1`).
 *
 * Written by hand because the writer is Meilisearch, not us: rotating-file-stream and pino's
 * transports rotate streams the Node process writes itself. Piping Meilisearch's output through
 * Node to use them would make the engine block on a full pipe whenever our event loop is busy
 * (an embedding batch holds it for seconds). Meilisearch keeps its own descriptor, opened with
 * O_APPEND, so after the file is emptied its next line lands at the new end, not at the old
 * offset. Lines written between the copy and the emptying are lost; a log, not a record.
 *
 * @example
 * const log = boundedLogFile('/var/lib/notice-search/meili/meilisearch.log', { maxBytes: 10 << 20 });
 * const fd = log.open(); // hand to spawn's stdio, then close
 * log.check();           // at each launch and every so often
 */
import { copyFileSync, openSync, statSync, truncateSync } from 'node:fs';

export interface BoundedLogOptions {
  /** Size past which the file is rotated, bytes. */
  maxBytes: number;
}

export interface BoundedLog {
  readonly file: string;
  /** The file opened for appending (a descriptor for a child's stdout and stderr). */
  open(): number;
  /** Rotates the file when it is over the bound; true when it did. */
  check(): boolean;
}

export function boundedLogFile(file: string, options: BoundedLogOptions): BoundedLog {
  const rotated = `${file}.1`;
  return {
    file,
    open: () => openSync(file, 'a'),
    check() {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        return false;
      }
      if (size <= options.maxBytes) return false;
      copyFileSync(file, rotated);
      truncateSync(file, 0);
      return true;
    },
  };
}
