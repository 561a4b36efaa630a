/**
 * Word: a .docx or legacy .doc file's bytes → the paragraphs of its body, or why it cannot be read.
 *
 * .docx is read by mammoth, .doc (the OLE binary format) by word-extractor; both give the body
 * only: headers and footers hold page numbers and running heads, never the notice. (word-extractor
 * also reads .docx, but it decodes the XML in 4 KB chunks and breaks a Chinese character that
 * straddles two of them.) The bytes decide the reader, not the name: a .doc that is really a
 * .docx is read all the same.
 *
 * A .docx is a zip. Before any reader unpacks it, yauzl streams every entry through once,
 * counting: a file that unpacks to more than we accept, that packs far tighter than any document
 * does, or whose entries yield more than the directory declares is refused as a zip bomb.
 *
 * @example
 * const text = await wordText(bytes, 'docx');
 * if (text.ok) console.log(text.paragraphs.length); else console.log(text.reason, text.detail);
 */
import mammoth from 'mammoth';
import WordExtractor from 'word-extractor';
import yauzl from 'yauzl';
import type { Extracted } from './types.ts';

/** Largest total a .docx may unpack to. Text and markup of a long report stay far below this. */
export const MAX_UNPACKED = 64 * 1024 * 1024;
/** Largest packing ratio of an entry of over 1 MB: XML packs about 10:1, a bomb by a thousand. */
export const MAX_RATIO = 200;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

export async function wordText(bytes: Uint8Array, format: 'docx' | 'doc'): Promise<Extracted> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const zip = buffer.subarray(0, 4).equals(ZIP);
  const ole = buffer.subarray(0, 4).equals(OLE);
  if (!zip && !ole) {
    const expected = format === 'docx' ? 'a zip package' : 'an OLE compound file';
    return { ok: false, reason: 'corrupt', detail: `not a Word file: a .${format} is ${expected}, these bytes are not` };
  }
  // A password-protected .docx is an OLE file holding the encrypted package.
  if (ole && buffer.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
    return { ok: false, reason: 'encrypted', detail: 'encrypted Word file: it needs a password to open' };
  }
  const kind = zip ? 'docx' : 'doc';
  let body: string;
  try {
    if (zip) {
      const refused = await checkUnpacking(buffer);
      if (refused !== null) return refused;
      body = (await mammoth.extractRawText({ buffer })).value;
    } else {
      body = (await new WordExtractor().extract(buffer)).getBody();
    }
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: `corrupt .${kind}: ${(e as Error).message}` };
  }
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((p) => p.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((p) => p !== '');
  if (paragraphs.length === 0) return { ok: false, reason: 'empty', detail: `the .${kind} file's body holds no text` };
  return { ok: true, paragraphs };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Streams every entry of the zip through, counting; a refusal, or null when it is safe to unpack. */
function checkUnpacking(buffer: Buffer): Promise<Extracted | null> {
  const corrupt = (message: string): Extracted => ({ ok: false, reason: 'corrupt', detail: `corrupt .docx: ${message}` });
  const bomb = (detail: string): Extracted => ({ ok: false, reason: 'too-large', detail: `oversized .docx: ${detail}` });
  return new Promise((resolve) => {
    // validateEntrySizes (yauzl's default) fails an entry that yields more than it declares.
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (err, zipfile) => {
      if (err || !zipfile) return resolve(corrupt(err?.message ?? 'unreadable zip'));
      let declared = 0;
      let unpacked = 0;
      let settled = false;
      const finish = (result: Extracted | null) => {
        if (settled) return;
        settled = true;
        zipfile.close();
        resolve(result);
      };
      zipfile.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > MAX_UNPACKED) return finish(bomb(`it would unpack to more than ${mb(MAX_UNPACKED)} MB`));
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > 1024 * 1024 && ratio > MAX_RATIO) return finish(bomb(`an entry packs ${Math.round(ratio)}:1 (a zip bomb)`));
        if (entry.fileName.endsWith('/')) return zipfile.readEntry();
        zipfile.openReadStream(entry, (e, stream) => {
          if (e || !stream) return finish(corrupt(e?.message ?? `cannot open ${entry.fileName}`));
          stream.on('data', (chunk: Buffer) => {
            unpacked += chunk.length;
            if (unpacked > MAX_UNPACKED) {
              stream.destroy();
              finish(bomb(`it unpacks to more than ${mb(MAX_UNPACKED)} MB`));
            }
          });
          stream.on('error', (se: Error) => finish(corrupt(se.message)));
          stream.on('end', () => zipfile.readEntry());
        });
      });
      zipfile.on('end', () => finish(null));
      zipfile.on('error', (ze: Error) => finish(corrupt(ze.message)));
      zipfile.readEntry();
    });
  });
}
