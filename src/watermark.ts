/**
 * The disk watermark (like Elasticsearch's flood stage): below MIN_FREE_BYTES free under
 * DATA_DIR, every write (upload, delete, reindex, backup) is refused at once with 507 DISK_LOW,
 * while searches, which write nothing, go on; `/healthz` reports the state. Refusing up front
 * is the point: Meilisearch and our own `.part` files otherwise fail half-way on a full disk
 * (ENOSPC) or leave a request waiting on an engine task that cannot finish.
 *
 * @example
 * const watermark = createWatermark({ minFreeBytes: 256 * 2 ** 20, freeBytes: () => freeBytesUnder(dataDir) });
 * await watermark.assertWritable('upload'); // throws DISK_LOW below the mark
 */
import { CodedError } from './errors.ts';

export interface WatermarkOptions {
  /** 0: off, writes are never refused for space. */
  minFreeBytes: number;
  /** Bytes free to us on the file system holding the data (the I/O edge: `statfs`). */
  freeBytes: () => Promise<number>;
}

export interface DiskState {
  /** Bytes free; null when the file system could not be asked. */
  free: number | null;
  minFree: number;
  /** False below the watermark: writes are refused. */
  writable: boolean;
}

export interface Watermark {
  state(): Promise<DiskState>;
  /** Throws DISK_LOW when writes are refused; `what` names the write in the message. */
  assertWritable(what: string): Promise<void>;
}

export function createWatermark(options: WatermarkOptions): Watermark {
  const { minFreeBytes } = options;
  async function state(): Promise<DiskState> {
    // A file system that cannot be asked is not known to be full: writes go on and fail on their own.
    const free = await options.freeBytes().catch(() => null);
    return { free, minFree: minFreeBytes, writable: minFreeBytes === 0 || free === null || free >= minFreeBytes };
  }
  return {
    state,
    async assertWritable(what) {
      const disk = await state();
      if (!disk.writable) {
        throw new CodedError(
          'DISK_LOW',
          `${what} refused: ${formatBytes(disk.free ?? 0)} free under DATA_DIR, below MIN_FREE_BYTES (${formatBytes(minFreeBytes)}); searches still work. Free space (old backups in DATA_DIR/backups, uploads) or lower MIN_FREE_BYTES`,
        );
      }
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
