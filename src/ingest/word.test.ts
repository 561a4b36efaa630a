import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { OFFICE_NOTICES } from '../../test/fixtures/office-notices.ts';
import { ingestFile } from './index.ts';

const dev = (name: string) => readFileSync(new URL(`../../test/data/parse.dev/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));

/** A minimal .docx with one paragraph per string. */
async function docx(paragraphs: string[]): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
  zip.file('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

describe('Word', () => {
  const words = OFFICE_NOTICES.filter((n) => /\.docx?$/.test(n.file));

  it.each(words.map((n) => [n.file, n] as const))('gives back the body paragraphs of %s, without header or footer', async (file, n) => {
    const result = await ingestFile(file, dev(file));
    if (!result.ok) throw new Error(result.skipped.detail);
    expect(result.doc.format).toBe(file.endsWith('.docx') ? 'docx' : 'doc');
    const got = result.doc.lines.filter((l) => l.text !== '').map((l) => l.text);
    expect(got).toEqual([n.title, ...n.body, n.signature, n.date]);
  });

  it('refuses a zip bomb before unpacking it, a locked, cut or false file, each with its reason', async () => {
    const cases: Array<[string, Uint8Array, string, RegExp]> = [
      ['bomb.docx', fixture('bomb.docx'), 'too-large', /^oversized \.docx: .*zip bomb/],
      ['cut.docx', fixture('truncated.docx'), 'corrupt', /^corrupt \.docx/],
      ['broken.doc', fixture('broken.doc'), 'corrupt', /^corrupt \.doc/],
      ['text.docx', Buffer.from('关于整改情况的通报'), 'corrupt', /^not a Word file/],
      ['swapped.doc', dev('docx-mianyang-city-health.docx').subarray(0, 2000), 'corrupt', /^corrupt/],
      ['empty.doc', new Uint8Array(0), 'empty', /no bytes/],
      // What Word writes for a password-protected .docx: an OLE file whose stream is the encrypted package.
      ['locked.docx', Buffer.concat([fixture('broken.doc').subarray(0, 8), Buffer.alloc(120), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(64)]), 'encrypted', /^encrypted Word file/],
    ];
    for (const [name, bytes, reason, detail] of cases) {
      const result = await ingestFile(name, bytes);
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.skipped.reason, name).toBe(reason);
      expect(result.skipped.detail, name).toMatch(detail);
    }
  });

  it('reads a .docx under a .doc name and the other way round: the bytes decide, not the name', async () => {
    const docx = await ingestFile('misnamed.doc', dev('docx-mianyang-city-health.docx'));
    const doc = await ingestFile('misnamed.docx', dev('doc-pingba-medical-insurance.doc'));
    expect(docx.ok && doc.ok).toBe(true);
  });

  it('keeps every Chinese character of a long .docx whole (no character cut between two read chunks)', async () => {
    // 3,000 characters of 3 UTF-8 bytes each: many characters straddle any fixed chunk size.
    const long = '各级医疗机构落实整改责任，'.repeat(230);
    const result = await ingestFile('long.docx', await docx([long, '中共某县卫生健康局党组']));
    if (!result.ok) throw new Error(result.skipped.detail);
    expect(result.doc.lines.filter((l) => l.text !== '').map((l) => l.text)).toEqual([long, '中共某县卫生健康局党组']);
  });

  it('refuses a zip whose directory understates what an entry unpacks to', async () => {
    const bytes = Buffer.from(fixture('bomb.docx'));
    // Declare 1,000 bytes for every entry, in the local headers and the central directory.
    for (let i = 0; i + 4 <= bytes.length; i++) {
      const sig = bytes.readUInt32LE(i);
      if (sig === 0x04034b50) bytes.writeUInt32LE(1000, i + 22);
      if (sig === 0x02014b50) bytes.writeUInt32LE(1000, i + 24);
    }
    const result = await ingestFile('understated.docx', bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.skipped.detail).toMatch(/^corrupt \.docx: \[Content_Types\]\.xml unpacks to \d+ bytes, its directory says 1000/);
  });

  it('gives back the ideographs that text copied out of a PDF carries as radicals', async () => {
    const result = await ingestFile('radicals.docx', await docx(['⼈⺠群众反映的⾏政执法问题已整改。']));
    if (!result.ok) throw new Error(result.skipped.detail);
    expect(result.doc.lines.map((l) => l.text)).toEqual(['人民群众反映的行政执法问题已整改。']);
  });
});
