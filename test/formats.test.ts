/**
 * PDF, Word and legacy Word files through the real API, engine and index runs: uploads that mix
 * readable and unreadable files, JSON uploads in base64, and a folder indexed as `npm run index`
 * indexes it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startStack, type Stack } from './helpers/stack.ts';

const KEY = 'test-formats-key-0123456789';
const auth = { Authorization: `Bearer ${KEY}` };
const DEV = path.join(ROOT, 'test/data/parse.dev');
const FIXTURES = path.join(ROOT, 'test/fixtures');
const dev = (name: string) => readFileSync(path.join(DEV, name));
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

let stack: Stack;
let folder: string;

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'notice-formats-'));
  copyFileSync(path.join(DEV, 'pdf-kezuozhongqi-health.pdf'), path.join(folder, 'kezuozhongqi.pdf'));
  copyFileSync(path.join(FIXTURES, 'scanned.pdf'), path.join(folder, 'scan.pdf'));
  // A text copy of a laid-out document: lines hard-wrapped mid-word, some with a blank line between.
  copyFileSync(path.join(ROOT, 'data/corpus/004_387fccef8635e036.txt'), path.join(folder, '004.txt'));
  stack = await startStack({ adminKey: KEY, corpus: [folder], index: false });
});
afterAll(async () => {
  await stack?.close();
  rmSync(folder, { recursive: true, force: true });
});

const search = async (phrase: string) => (await stack.call(`/api/search?q=${encodeURIComponent(`"${phrase}"`)}&limit=100`)).body;

describe('PDF and Word files', () => {
  it('are indexed from a folder, a scan skipped with its reason', async () => {
    const summary = await stack.services.start();
    expect(summary.indexed).toBe(2);
    expect(summary.skipped).toEqual([{ file: path.join(folder, 'scan.pdf'), reason: expect.stringMatching(/^no-text-layer: scanned PDF: no text layer/) }]);
    // "…逐" / "项制定整改措施" across a line break of the PDF.
    const hits = (await search('逐项制定整改措施')).hits as Array<{ notice: { county: string } }>;
    expect(hits.map((h) => h.notice.county)).toEqual(['科尔沁左翼中旗']);
  });

  it('finds phrases across the hard line breaks of a text copy (data/corpus/004)', async () => {
    // "…专题民主生活会，班" / "" / "子成员认真开展…"; "…对能立即整改到" / "" / "位的…";
    // "…主体工程" / "建设超期…"; "…将于 2021" / "年底前竣工…"; "…重大事项决策不规" / "范问题。"
    for (const phrase of ['班子成员认真开展批评', '对能立即整改到位的', '主体工程建设超期', '设备将于2021年底前竣工', '重大事项决策不规范问题']) {
      const hits = (await search(phrase)).hits as Array<{ notice: { county: string } }>;
      expect(hits.map((h) => h.notice.county), phrase).toEqual(['揭东区']);
    }
  });

  it('keeps the good files of an upload that mixes them with unreadable ones', async () => {
    const form = new FormData();
    const add = (bytes: Uint8Array, name: string) => form.append('file', new Blob([new Uint8Array(bytes)]), name);
    add(dev('pdf-xiangtan-hospital.pdf'), 'xiangtan.pdf');
    add(fixture('scanned.pdf'), 'scan-upload.pdf');
    add(dev('docx-mianyang-city-health.docx'), 'mianyang.docx');
    add(fixture('encrypted.pdf'), 'locked.pdf');
    add(fixture('bomb.docx'), 'bomb.docx');
    add(fixture('truncated.docx'), 'cut.docx');
    add(dev('doc-pingba-medical-insurance.doc'), 'pingba.doc');
    add(fixture('broken.doc'), 'broken.doc');
    add(new Uint8Array(0), 'empty.pdf');
    add(fixture('binary.txt'), 'binary.txt');
    const up = await stack.call('/api/admin/documents', { method: 'POST', headers: auth, body: form });
    expect(up.status).toBe(200);
    expect(up.body.indexed).toBe(3);
    const reasons = Object.fromEntries((up.body.skipped as Array<{ file: string; reason: string }>).map((s) => [path.basename(s.file), s.reason]));
    expect(reasons).toEqual({
      'scan-upload.pdf': expect.stringMatching(/^no-text-layer: scanned PDF: no text layer/),
      'locked.pdf': expect.stringMatching(/^encrypted: encrypted PDF/),
      'bomb.docx': expect.stringMatching(/^too-large: oversized \.docx/),
      'cut.docx': expect.stringMatching(/^corrupt: corrupt \.docx/),
      'broken.doc': expect.stringMatching(/^corrupt: corrupt \.doc/),
      'empty.pdf': 'empty: the file has no bytes',
      'binary.txt': expect.stringMatching(/^binary: /),
    });

    const { notices } = (await stack.call('/api/notices?limit=100')).body as { notices: Array<{ title: string; level: string; source: string }> };
    const titles = notices.filter((n) => /\.(pdf|docx?)$/.test(n.source)).map((n) => n.title).sort();
    expect(titles).toEqual(
      [
        '中共湘潭市中心医院委员会关于市委第二巡察组巡察反馈意见集中整改进展情况的通报',
        '中共绵阳市卫生健康委员会党组关于市委巡察反馈意见整改进展情况的通报',
        '中共安顺市平坝区医疗保障局党组关于区委第五巡察组巡察反馈意见整改情况的通报',
        '中共科尔沁左翼中旗卫生健康委员会党组关于旗委第一轮巡察整改进展情况的通报',
      ].sort(),
    );
  });

  it('finds phrases across line and page breaks of a PDF, and never its page numbers or running head', async () => {
    // "…签订专科联盟协议。开" ends page 1, "设多学科联合门诊六个…" starts page 2.
    for (const phrase of ['开设多学科联合门诊六个', '开展医德医风专项教育', '医院成立巡察整改工作领导小组']) {
      const hits = (await search(phrase)).hits as Array<{ text: string; notice: { title: string } }>;
      expect(hits.map((h) => h.notice.title), phrase).toEqual(['中共湘潭市中心医院委员会关于市委第二巡察组巡察反馈意见集中整改进展情况的通报']);
    }
    expect((await search('湘潭市中心医院党委文件')).total).toBe(0);
    expect((await search('-2-')).total).toBe(0);
  });

  it('takes a JSON upload in base64 and refuses content that is not', async () => {
    const body = (content: string, name = 'zhejiang.docx') => JSON.stringify({ name, content, encoding: 'base64' });
    const json = { ...auth, 'Content-Type': 'application/json' };
    const up = await stack.call('/api/admin/documents', { method: 'POST', headers: json, body: body(dev('docx-zhejiang-province-health.docx').toString('base64')) });
    expect(up.status).toBe(200);
    expect(up.body.indexed).toBe(1);
    const hits = (await search('统一全省医疗健康信息平台建设标准')).hits as Array<{ notice: { province: string; inspection: string } }>;
    expect(hits.map((h) => h.notice)).toEqual([expect.objectContaining({ province: '浙江省', inspection: '巡视' })]);

    const bad = await stack.call('/api/admin/documents', { method: 'POST', headers: json, body: body('这不是base64', 'x.pdf') });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PARAMETER');
    const scan = await stack.call('/api/admin/documents', { method: 'POST', headers: json, body: body(fixture('scanned.pdf').toString('base64'), 'scan-json.pdf') });
    expect(scan.status).toBe(422);
    expect(scan.body.skipped[0].reason).toMatch(/scanned PDF: no text layer/);
    const other = await stack.call('/api/admin/documents', { method: 'POST', headers: json, body: JSON.stringify({ name: 'sheet.xlsx', content: 'x' }) });
    expect(other.status).toBe(400);
  });
});
