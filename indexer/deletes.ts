/**
 * Deleted notices, recorded: `DELETE /api/admin/notices/:id` adds the id to
 * `DATA_DIR/deleted-notices.json`, and every index run leaves the recorded notices out, so a
 * rebuild, a restart or `npm run index` over the same files never brings one back. Notice ids
 * come from the notice's text, so the record holds whichever file the text comes from. Removing
 * an id from the file (and reindexing) restores the notice.
 */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const deletesFile = (dataDir: string) => path.join(dataDir, 'deleted-notices.json');

/** The recorded ids; none when there is no record yet. A record that cannot be read stops the caller: indexing without it would bring deleted notices back. */
export function readDeletes(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw e;
  }
  const ids: unknown = JSON.parse(text);
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error(`${file}: expected a JSON list of notice ids`);
  return new Set(ids);
}

/** Adds `id` to the record, written whole (a crash leaves the old record or the new one). */
export async function recordDelete(file: string, id: string): Promise<void> {
  const ids = readDeletes(file);
  if (ids.has(id)) return;
  ids.add(id);
  await writeFile(`${file}.part`, JSON.stringify([...ids].sort(), null, 1) + '\n');
  await rename(`${file}.part`, file);
}
