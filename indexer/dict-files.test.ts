import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DictError } from '../src/dict.ts';
import { DEFAULT_DICT_DIR, loadDictionary } from './dict-files.ts';

/** A scratch copy of data/dict/ to edit. */
function copyOfDict(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dict-'));
  cpSync(DEFAULT_DICT_DIR, dir, { recursive: true });
  return dir;
}

describe('loadDictionary', () => {
  it('reads data/dict/: the user dictionary path, stop words, synonym groups and a hash', () => {
    const dict = loadDictionary();
    expect(path.isAbsolute(dict.userDictPath)).toBe(true);
    expect(dict.userDictPath.endsWith(path.join('data', 'dict', 'user.dict.utf8'))).toBe(true);
    expect(dict.stopWords.has('一是')).toBe(true);
    expect(dict.synonyms).toContainEqual(['医联体', '医疗联合体']);
    expect(dict.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(loadDictionary(DEFAULT_DICT_DIR).hash).toBe(dict.hash);
  });

  it('changes the hash when any of the three files changes, and only then', () => {
    const base = loadDictionary().hash;
    const dir = copyOfDict();
    try {
      expect(loadDictionary(dir).hash).toBe(base);
      appendFileSync(path.join(dir, 'README.md'), '\nnot a dictionary file\n');
      expect(loadDictionary(dir).hash).toBe(base);
      appendFileSync(path.join(dir, 'synonyms.txt'), '\n# a comment is still a change\n');
      const afterSynonyms = loadDictionary(dir).hash;
      expect(afterSynonyms).not.toBe(base);
      appendFileSync(path.join(dir, 'stop_words.utf8'), '\n');
      expect(loadDictionary(dir).hash).not.toBe(afterSynonyms);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with DICT_MISSING naming the file that is not there', () => {
    const dir = copyOfDict();
    try {
      rmSync(path.join(dir, 'stop_words.utf8'));
      expect(() => loadDictionary(dir)).toThrow(expect.objectContaining({ code: 'DICT_MISSING', file: 'stop_words.utf8' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stop word that is also a dictionary term, naming its line', () => {
    const dir = copyOfDict();
    try {
      appendFileSync(path.join(dir, 'stop_words.utf8'), '\n医共体\n');
      const err = (() => {
        try {
          loadDictionary(dir);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(DictError);
      expect((err as DictError).code).toBe('DICT_MALFORMED');
      expect((err as DictError).file).toBe('stop_words.utf8');
      expect((err as DictError).issues).toHaveLength(1);
      expect((err as DictError).issues[0]!.message).toContain('医共体');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
