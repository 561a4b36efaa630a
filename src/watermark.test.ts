import { describe, expect, it } from 'vitest';
import { createWatermark, formatBytes } from './watermark.ts';

const MiB = 1024 * 1024;

describe('the disk watermark', () => {
  it('refuses writes below MIN_FREE_BYTES, with the free space and the mark in the message', async () => {
    const w = createWatermark({ minFreeBytes: 256 * MiB, freeBytes: async () => 100 * MiB });
    expect(await w.state()).toEqual({ free: 100 * MiB, minFree: 256 * MiB, writable: false });
    await expect(w.assertWritable('upload')).rejects.toMatchObject({ code: 'DISK_LOW', status: 507, message: expect.stringMatching(/^upload refused: 100 MiB free under DATA_DIR, below MIN_FREE_BYTES \(256 MiB\); searches still work/) });
  });

  it('takes writes at or above the mark, and always with the mark at 0', async () => {
    await expect(createWatermark({ minFreeBytes: 256 * MiB, freeBytes: async () => 256 * MiB }).assertWritable('upload')).resolves.toBeUndefined();
    expect(await createWatermark({ minFreeBytes: 0, freeBytes: async () => 0 }).state()).toEqual({ free: 0, minFree: 0, writable: true });
  });

  it('does not refuse when the file system cannot be asked: the write then fails on its own', async () => {
    const w = createWatermark({ minFreeBytes: MiB, freeBytes: async () => Promise.reject(new Error('ENOENT')) });
    expect(await w.state()).toEqual({ free: null, minFree: MiB, writable: true });
  });

  it('formats sizes for people', () => {
    expect([formatBytes(512), formatBytes(1536), formatBytes(300 * MiB), formatBytes(2 ** 52)]).toEqual(['512 B', '1.5 KiB', '300 MiB', '4096 TiB']);
  });
});
