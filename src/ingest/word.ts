/**
 * Word: a .docx or legacy .doc file's bytes → the paragraphs of its body, or why it cannot be read.
 *
 * word-extractor reads both (the OLE binary format and the zipped XML), body only: headers and
 * footers hold page numbers and running heads, never the notice. A .docx is a zip, so before it
 * is unpacked its directory is read (yauzl) and a file that would unpack to more than we accept,
 * or that packs far tighter than any document does, is refused as a zip bomb; yauzl also checks
 * while unpacking that no entry yields more than its directory declares.
 *
 * @example
 * const text = await wordText(bytes, 'docx');
 * if (text.ok) console.log(text.paragraphs.length); else console.log(text.reason, text.detail);
 */
import WordExtractor from 'word-extractor';
import yauzl from 'yauzl';
import type { Extracted } from './types.ts';

/** Largest total a .docx may unpack to. Text and markup of a long report stay far below this. */
export const MAX_UNPACKED = 64 * 1024 * 1024;
/** Largest packing ratio of an entry of over 1 MB: XML packs about 10:1, a bomb by a thousand. */
export const MAX_RATIO = 200;

const extractor = new WordExtractor();

export async function wordText(bytes: Uint8Array, format: 'docx' | 'doc'): Promise<Extracted> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zip = buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const ole = buffer.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
  if (!zip && !ole) {
    const expected = format === 'docx' ? 'a zip package' : 'an OLE compound file';
    return { ok: false, reason: 'corrupt', detail: `not a Word file: a .${format} is ${expected}, these bytes are not` };
  }
  // A password-protected .docx is an OLE file holding the encrypted package.
  if (ole && buffer.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
    return { ok: false, reason: 'encrypted', detail: 'encrypted Word file: it needs a password to open' };
  }
  if (zip) {
    const size = await unpackedSize(buffer);
    if (typeof size === 'string') return { ok: false, reason: 'corrupt', detail: `corrupt .docx: ${size}` };
    if (size.total > MAX_UNPACKED) return { ok: false, reason: 'too-large', detail: `oversized .docx: it would unpack to ${mb(size.total)} MB (at most ${mb(MAX_UNPACKED)} MB)` };
    if (size.ratio > MAX_RATIO) return { ok: false, reason: 'too-large', detail: `oversized .docx: an entry packs ${Math.round(size.ratio)}:1 (a zip bomb)` };
  }
  let body: string;
  try {
    body = (await extractor.extract(buffer)).getBody();
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: `corrupt .${format}: ${(e as Error).message}` };
  }
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((p) => p.replace(/[\s\u3000]+$/g, '').replace(/^[\s\u3000]+/, ''))
    .filter((p) => p !== '');
  if (paragraphs.length === 0) return { ok: false, reason: 'empty', detail: `the .${format} file's body holds no text` };
  return { ok: true, paragraphs };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The sizes a zip's central directory declares, or what is wrong with it. */
function unpackedSize(buffer: Buffer): Promise<{ total: number; ratio: number } | string> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zipfile) => {
      if (err || !zipfile) return resolve(err?.message ?? 'unreadable zip');
      let total = 0;
      let ratio = 0;
      zipfile.on('entry', (entry: yauzl.Entry) => {
        total += entry.uncompressedSize;
        if (entry.uncompressedSize > 1024 * 1024) ratio = Math.max(ratio, entry.uncompressedSize / Math.max(1, entry.compressedSize));
        zipfile.readEntry();
      });
      zipfile.on('end', () => resolve({ total, ratio }));
      zipfile.on('error', (e: Error) => resolve(e.message));
      zipfile.readEntry();
    });
  });
}
