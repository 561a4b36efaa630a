/**
 * PDF: a PDF file's bytes → the paragraphs of its text layer, or why it has none we can read.
 *
 * unpdf (a serverless build of Mozilla's PDF.js, no native parts) reads the text items with their
 * positions; reflow.ts turns the positioned lines back into paragraphs without the page numbers
 * and running heads. A scan has no text layer (nor has a PDF whose fonts map their glyphs to no
 * character) and an encrypted file needs its password: both are reported, never guessed at.
 *
 * @example
 * const text = await pdfText(bytes);
 * if (text.ok) console.log(text.paragraphs[0]); else console.log(text.reason, text.detail);
 */
import { getDocumentProxy, getResolvedPDFJS } from 'unpdf';
import { unreadableShare } from './ideographs.ts';
import { reflow, type LaidLine, type LaidPage } from './reflow.ts';
import type { Extracted } from './types.ts';


interface Item {
  str: string;
  transform: number[];
  width: number;
}

export async function pdfText(bytes: Uint8Array): Promise<Extracted> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // PDF.js takes the buffer over; it gets a copy so the caller's bytes stay usable.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { disableFontFace: true, verbosity: 0 });
  } catch (e) {
    const error = e as Error;
    if (error.name === 'PasswordException') return { ok: false, reason: 'encrypted', detail: 'encrypted PDF: it needs a password to open' };
    return { ok: false, reason: 'corrupt', detail: `not a readable PDF (${error.message})` };
  }
  try {
    const pages: LaidPage[] = [];
    let images = 0;
    const { OPS } = await getResolvedPDFJS();
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      // unpdf's bundled declarations leave a page's text content untyped (any): the guard below types it.
      const items = (content.items as unknown[]).filter((i): i is Item => typeof i === 'object' && i !== null && 'str' in i);
      pages.push({ width: x1 - x0, height: y1 - y0, lines: lines(items) });
      if (items.every((i) => i.str.trim() === '')) {
        const ops = await page.getOperatorList();
        images += ops.fnArray.filter((f: number) => f === OPS.paintImageXObject || f === OPS.paintInlineImageXObject || f === OPS.paintImageMaskXObject).length;
      }
      page.cleanup();
    }
    const paragraphs = reflow(pages);
    const unreadable = unreadableShare(paragraphs.join(''));
    if (unreadable > 0.3) {
      return { ok: false, reason: 'no-text-layer', detail: `scanned PDF: no text layer to read (its fonts map ${Math.round(unreadable * 100)}% of the glyphs to no character; run OCR first)` };
    }
    if (paragraphs.length === 0) {
      return images > 0
        ? { ok: false, reason: 'no-text-layer', detail: `scanned PDF: no text layer (${pdf.numPages} page${pdf.numPages === 1 ? '' : 's'} of images; run OCR first)` }
        : { ok: false, reason: 'empty', detail: 'the PDF has no text on any page' };
    }
    return { ok: true, paragraphs };
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: `the PDF could not be read to the end (${(e as Error).message})` };
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** Text items → lines, top to bottom: items on one baseline are one line, in x order. */
function lines(items: Item[]): LaidLine[] {
  const placed = items
    .filter((i) => i.str !== '')
    .map((i) => {
      const [a = 0, b = 0, , d = 0, e = 0, f = 0] = i.transform;
      return { x0: e, x1: e + i.width, y: f, size: Math.hypot(a, b) || Math.abs(d), text: i.str };
    })
    .sort((p, q) => q.y - p.y || p.x0 - q.x0);
  const out: LaidLine[] = [];
  for (const item of placed) {
    const line = out.find((l) => Math.abs(l.y - item.y) <= Math.min(l.size, item.size) * 0.4);
    if (line === undefined) {
      out.push({ ...item });
      continue;
    }
    const [left, right] = item.x0 >= line.x0 ? [line, item] : [item, line];
    // Words set apart, or cells of a table row: a space. Chinese set wide (justified) needs none.
    const space = right.x0 - left.x1;
    const size = Math.max(left.size, right.size);
    const words = /[A-Za-z0-9]$/.test(left.text) && /^[A-Za-z0-9]/.test(right.text);
    const gap = space > size * (words ? 0.2 : 2.5) ? ' ' : '';
    line.text = left.text + gap + right.text;
    line.x0 = Math.min(line.x0, item.x0);
    line.x1 = Math.max(line.x1, item.x1);
    line.size = Math.max(line.size, item.size);
  }
  for (const l of out) l.text = l.text.replace(/\s+/g, ' ').trim();
  return out.filter((l) => l.text !== '').sort((p, q) => q.y - p.y || p.x0 - q.x0);
}
