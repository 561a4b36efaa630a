/**
 * Files: the paths an index or parse run reads. Given files are taken as they are; folders are
 * walked (hidden entries skipped, names sorted so runs are repeatable). Whether a file is
 * readable as a notice is parseFile's call, which reports unsupported, binary or empty files
 * by name and reason; here only paths that cannot be read at all are reported.
 *
 * @example
 * const { files, errors } = await listFiles(['data/corpus']);
 * for (const file of files) await parseFile(file, await readFile(file));
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, sep } from 'node:path';

export interface ListedFiles {
  /** Paths as given or joined onto the given folder, in a stable order. */
  files: string[];
  errors: Array<{ file: string; reason: string }>;
}

export async function listFiles(paths: string[]): Promise<ListedFiles> {
  const files: string[] = [];
  const errors: ListedFiles['errors'] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  for (const path of paths) {
    try {
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else files.push(path);
    } catch (e) {
      errors.push({ file: path, reason: `unreadable: ${(e as Error).message}` });
    }
  }
  return { files, errors };
}

/**
 * How a file is named to the public (each notice's `source`): its path relative to the folder
 * it was found in, or its own name when it was given as a file. Never the server's path.
 */
export function shownName(roots: readonly string[], file: string): string {
  for (const root of roots) {
    const rel = relative(root, file);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  }
  return basename(file);
}
