/**
 * Admin uploads into `DATA_DIR/uploads`, kept only once indexed: each file is written whole
 * (to a hidden `.NAME.part`, then renamed, so a crash never leaves half a file for the next
 * start), indexed, and put back as it was (the earlier file of that name, or none) when the
 * index run skips it or fails. The caller runs this one upload at a time.
 */
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexSummary } from '../indexer/run.ts';
import { partName } from '../src/upload-name.ts';

export interface UploadFile {
  /** A checked upload name (src/upload-name.ts). */
  name: string;
  bytes: Uint8Array;
  url?: string | undefined;
}

async function readIfThere(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function place(dir: string, name: string, bytes: Uint8Array | undefined): Promise<void> {
  const target = path.join(dir, name);
  if (bytes === undefined) {
    await unlink(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    return;
  }
  const part = path.join(dir, partName(name));
  await writeFile(part, bytes);
  await rename(part, target);
}

export async function keepIfIndexed(
  dir: string,
  files: readonly UploadFile[],
  index: (paths: string[], urls: Map<string, string>) => Promise<IndexSummary>,
): Promise<IndexSummary> {
  const before = new Map<string, Buffer | undefined>();
  const urls = new Map<string, string>();
  const paths: string[] = [];
  try {
    for (const f of files) {
      const target = path.join(dir, f.name);
      before.set(f.name, await readIfThere(target));
      await place(dir, f.name, f.bytes);
      paths.push(target);
      if (f.url !== undefined) urls.set(target, f.url);
    }
    const summary = await index(paths, urls);
    const skipped = new Set(summary.skipped.map((s) => s.file));
    for (const f of files) if (skipped.has(path.join(dir, f.name))) await place(dir, f.name, before.get(f.name));
    return summary;
  } catch (e) {
    for (const [name, bytes] of before) await place(dir, name, bytes);
    throw e;
  }
}
