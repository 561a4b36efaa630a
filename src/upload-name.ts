/**
 * Upload names: which names an admin upload may have. The name becomes a file in
 * `DATA_DIR/uploads` and the public `source` of its notices, so it must be a plain file name the
 * file system takes (at most 255 bytes, counted in UTF-8 as the file system counts them, with
 * room for the hidden `.NAME.part` the upload is written to first), that a folder walk reads back (no leading dot: hidden
 * files are skipped), and that shows as it reads (no control, format or bidi characters, which
 * can reverse or hide part of a name on a page).
 */

/** NAME_MAX (255 bytes on ext4, xfs, btrfs) less the dot and `.part` an upload is written under first. */
export const MAX_NAME_BYTES = 255 - '..part'.length;

/** The hidden name an upload is written to before it replaces `name` (a folder walk skips it). */
export const partName = (name: string) => `.${name}.part`;

const EXTENSION = /\.(txt|html?|md|pdf|docx?)$/i;
/** Cc: controls; Cf: format (bidi overrides and isolates, zero-width); Zl, Zp: line and paragraph separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why `name` cannot be an upload's name, or undefined when it can. */
export function uploadNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (/[/\\]/.test(name)) return 'must be a plain file name (no / or \\)';
  if (INVISIBLE.test(name)) return 'has control, format or bidi characters';
  if (name.startsWith('.')) return 'must not start with a dot (hidden files are not read back by a rebuild)';
  if (!EXTENSION.test(name)) return 'must end in .txt, .html, .htm, .md, .pdf, .docx or .doc';
  if (name.trim() !== name) return 'must not start or end with spaces';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) return `is ${bytes} bytes in UTF-8; at most ${MAX_NAME_BYTES} (about ${Math.floor(MAX_NAME_BYTES / 3)} Chinese characters)`;
  return undefined;
}
