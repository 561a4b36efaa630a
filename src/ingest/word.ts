/**
 * Word: a .docx or legacy .doc file's bytes → the paragraphs of its body, or why it cannot be read.
 *
 * .docx is read by mammoth, .doc (the OLE binary format) by word-extractor; both give the body
 * only: headers and footers hold page numbers and running heads, never the notice. (word-extractor
 * also reads .docx, but it decodes the XML in 4 KB chunks and breaks a Chinese character that
 * straddles two of them.) The bytes decide the reader, not the name: a .doc that is really a
 * .docx is read all the same.
 *
 * A .docx is a zip. Before any reader unpacks it, every entry is unpacked once with the output
 * capped: a file that unpacks to more than we accept or packs far tighter than any document does
 * is refused as a zip bomb, one whose entries do not unpack to what its directory declares as
 * corrupt.
 *
 * @example
 * const text = await wordText(bytes, 'docx');
 * if (text.ok) console.log(text.paragraphs.length); else console.log(text.reason, text.detail);
 */
import mammoth from 'mammoth';
import WordExtractor from 'word-extractor';
import { inflateRawSync } from 'node:zlib';
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

/**
 * Unpacks every entry of the zip once, counting, with the output capped: a refusal, or null when
 * it is safe to hand to a reader. yauzl reads the directory and hands over each entry's packed
 * bytes; zlib inflates them with a hard limit on the output, so no declared size is trusted.
 */
function checkUnpacking(buffer: Buffer): Promise<Extracted | null> {
  const corrupt = (message: string): Extracted => ({ ok: false, reason: 'corrupt', detail: `corrupt .docx: ${message}` });
  const bomb = (detail: string): Extracted => ({ ok: false, reason: 'too-large', detail: `oversized .docx: ${detail}` });
  return new Promise((resolve) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zipfile) => {
      if (err || !zipfile) return resolve(corrupt(err?.message ?? 'unreadable zip'));
      let unpacked = 0;
      let settled = false;
      const finish = (result: Extracted | null) => {
        if (settled) return;
        settled = true;
        zipfile.close();
        resolve(result);
      };
      zipfile.on('entry', (entry: yauzl.Entry) => {
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > 1024 * 1024 && ratio > MAX_RATIO) return finish(bomb(`an entry packs ${Math.round(ratio)}:1 (a zip bomb)`));
        if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) return finish(corrupt(`${entry.fileName}: compression method ${entry.compressionMethod}`));
        // Packed bytes as they are: yauzl would inflate a compressed entry, and a stored one is raw already.
        const raw = { decompress: entry.isCompressed() ? false : null, decrypt: null, start: null, end: null };
        const opened = (e: Error | null, stream?: NodeJS.ReadableStream) => {
          if (e || !stream) return finish(corrupt(e?.message ?? `cannot open ${entry.fileName}`));
          const packed: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => packed.push(chunk));
          stream.on('error', (se: Error) => finish(corrupt(se.message)));
          stream.on('end', () => {
            const room = MAX_UNPACKED - unpacked;
            let size: number;
            try {
              size = entry.compressionMethod === 0 ? Buffer.concat(packed).length : inflateRawSync(Buffer.concat(packed), { maxOutputLength: room + 1 }).length;
            } catch (ie) {
              const tooLarge = (ie as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
              return finish(tooLarge ? bomb(`it unpacks to more than ${mb(MAX_UNPACKED)} MB`) : corrupt(`${entry.fileName}: ${(ie as Error).message}`));
            }
            if (size > room) return finish(bomb(`it unpacks to more than ${mb(MAX_UNPACKED)} MB`));
            if (size !== entry.uncompressedSize) return finish(corrupt(`${entry.fileName} unpacks to ${size} bytes, its directory says ${entry.uncompressedSize}`));
            unpacked += size;
            zipfile.readEntry();
          });
        };
        try {
          zipfile.openReadStream(entry, raw, opened);
        } catch (oe) {
          finish(corrupt(`${entry.fileName}: ${(oe as Error).message}`));
        }
      });
      zipfile.on('end', () => finish(null));
      zipfile.on('error', (ze: Error) => finish(corrupt(ze.message)));
      zipfile.readEntry();
    });
  });
}
