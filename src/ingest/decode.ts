/**
 * Decode: a file's bytes → text. Detects the encoding (UTF-8, GB18030/GBK, Big5, UTF-16) and
 * refuses bytes that are plainly not text (binary signatures, NUL bytes, control characters).
 */
import chardet from 'chardet';
import iconv from 'iconv-lite';

export type Decoded = { ok: true; text: string; encoding: string } | { ok: false; reason: 'undecodable'; detail: string };

/** chardet names of the encodings we accept, mapped to iconv-lite names. */
const CJK_ENCODINGS: Record<string, string> = {
  'GB18030': 'gb18030',
  'Big5': 'big5',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
};

/**
 * Strict UTF-8 first (a clean UTF-8 decode is near-certain proof), then the charset the page
 * declares, then chardet's ranking, each checked by decoding with iconv-lite: a candidate whose
 * decode produces replacement characters is rejected rather than trusted.
 */
export function decode(bytes: Uint8Array, declared: string | null = null): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = strictUtf8(bytes.subarray(3));
    if (text !== null) return { ok: true, text, encoding: 'UTF-8 (BOM)' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le'), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be'), encoding: 'UTF-16BE' };
  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return { ok: true, text: utf8, encoding: 'UTF-8' };

  const buffer = Buffer.from(bytes);
  const candidates: { name: string; iconvName: string }[] = [];
  if (declared !== null) {
    const name = declared.toLowerCase();
    // GB2312 and GBK pages routinely use characters only GB18030 defines; decode them as GB18030.
    const iconvName = /^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(name) ? 'gb18030' : name;
    if (iconvName !== 'utf-8' && iconv.encodingExists(iconvName)) candidates.push({ name: declared, iconvName });
  }
  for (const match of chardet.analyse(bytes)) {
    const iconvName = CJK_ENCODINGS[match.name];
    if (iconvName !== undefined && match.confidence >= 10) candidates.push({ name: match.name, iconvName });
  }
  for (const candidate of candidates) {
    const text = iconv.decode(buffer, candidate.iconvName);
    if (replacementRatio(text) === 0) return { ok: true, text, encoding: candidate.name };
  }
  const detail =
    candidates.length === 0
      ? 'not valid UTF-8, and chardet finds no Chinese encoding (GB18030, Big5) in it'
      : `not valid UTF-8, and ${candidates.map((c) => c.name).join(', ')} did not decode it cleanly`;
  return { ok: false, reason: 'undecodable', detail };
}

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function replacementRatio(text: string): number {
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  return text.length === 0 ? 0 : bad / text.length;
}

export function controlRatio(text: string): number {
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) bad++;
  }
  return text.length === 0 ? 0 : bad / text.length;
}

const MAGIC: [string, number[]][] = [
  ['PDF document', [0x25, 0x50, 0x44, 0x46]],
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['ZIP archive (docx/xlsx…)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip archive', [0x1f, 0x8b]],
  ['OLE document (doc/xls)', [0xd0, 0xcf, 0x11, 0xe0]],
];

/** A reason when the bytes are plainly not text, else null. */
export function binarySignature(bytes: Uint8Array): string | null {
  for (const [what, magic] of MAGIC) {
    if (magic.every((b, i) => bytes[i] === b)) return what;
  }
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && bytes.subarray(0, 8192).includes(0)) return 'contains NUL bytes';
  return null;
}

export function declaredCharset(bytes: Uint8Array): string | null {
  // Charset declarations are ASCII, so a latin1 view of the head is enough to read them.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1] ?? null;
}
