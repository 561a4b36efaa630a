import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OFFICE_NOTICES, type OfficeNotice } from '../../test/fixtures/office-notices.ts';
import { ingestFile } from './index.ts';

const dev = (name: string) => readFileSync(new URL(`../../test/data/parse.dev/${name}`, import.meta.url));
const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));
const squash = (s: string) => s.replace(/\s+/g, '');

/** The paragraphs the author wrote, as the file should give them back. */
const written = (n: OfficeNotice) => [n.title, ...(n.salutation === null ? [] : [n.salutation]), ...n.body, n.signature, n.date].map(squash);

async function paragraphs(name: string, bytes: Uint8Array): Promise<string[]> {
  const result = await ingestFile(name, bytes);
  if (!result.ok) throw new Error(`${name}: ${result.skipped.reason} ${result.skipped.detail}`);
  return result.doc.lines.filter((l) => l.text !== '').map((l) => squash(l.text));
}

describe('PDF', () => {
  const pdfs = OFFICE_NOTICES.filter((n) => n.file.endsWith('.pdf'));

  it.each(pdfs.map((n) => [n.file, n] as const))('gives back the paragraphs of %s whole: wrapped title, lines and pages joined', async (file, notice) => {
    const got = await paragraphs(file, dev(file));
    const want = written(notice);
    expect(got).toHaveLength(want.length);
    // LibreOffice drops a comma it pushes past the right margin; every paragraph else is exact.
    const differ = got.filter((p, i) => p !== want[i]);
    expect(differ.length).toBeLessThanOrEqual(1);
    for (const p of differ) expect(p.length).toBe((want[got.indexOf(p)] as string).length - 1);
  });

  it('drops page numbers and running heads', async () => {
    for (const n of pdfs) {
      const got = await paragraphs(n.file, dev(n.file));
      expect(got.join('\n'), n.file).not.toMatch(/—\s*\d+\s*—|^-\d+-$|第\d+页共\d+页/m);
      // A running head left behind would stand as a paragraph of its own.
      if (n.head !== null) expect(got, n.file).not.toContain(squash(n.head));
    }
  });

  it('is reported with the format and its text layer', async () => {
    const result = await ingestFile('a/b.pdf', dev('pdf-xiangtan-hospital.pdf'));
    expect(result).toMatchObject({ ok: true, doc: { source: 'a/b.pdf', format: 'pdf', encoding: 'PDF text layer' } });
  });

  it('skips a scan, an encrypted file, a broken one and an empty one, each with its reason', async () => {
    const cases: Array<[string, Uint8Array, string, RegExp]> = [
      ['scan.pdf', fixture('scanned.pdf'), 'no-text-layer', /^scanned PDF: no text layer/],
      ['locked.pdf', fixture('encrypted.pdf'), 'encrypted', /^encrypted PDF/],
      ['notes.pdf', fixture('notes.pdf'), 'corrupt', /not a readable PDF/],
      ['photo.pdf', fixture('image.txt'), 'corrupt', /not a readable PDF/],
      ['cut.pdf', dev('pdf-jingyang-county-health.pdf').subarray(0, 4000), 'corrupt', /PDF/],
      ['empty.pdf', new Uint8Array(0), 'empty', /no bytes/],
    ];
    for (const [name, bytes, reason, detail] of cases) {
      const result = await ingestFile(name, bytes);
      expect(result.ok, name).toBe(false);
      if (result.ok) continue;
      expect(result.skipped.source).toBe(name);
      expect(result.skipped.reason, name).toBe(reason);
      expect(result.skipped.detail, name).toMatch(detail);
    }
  });
});
