/**
 * Reads data/dict/ (the I/O edge of src/dict.ts): the user dictionary jieba loads by path, the
 * stop words, the synonym groups, and one hash over the three files. The hash goes into the
 * index build hash, so editing any of the files makes the next index run a full rebuild.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalize } from '../src/normalize.ts';
import { checkStopWords, DictError, parseStopWords, parseSynonyms, parseUserDict, type DictFileName } from '../src/dict.ts';

/** data/dict/ of this project, wherever the process was started from. */
export const DEFAULT_DICT_DIR = fileURLToPath(new URL('../data/dict/', import.meta.url));

export const DICT_FILES = ['user.dict.utf8', 'stop_words.utf8', 'synonyms.txt'] as const satisfies readonly DictFileName[];

export interface Dictionary {
  /** Absolute path of user.dict.utf8, for createSegmenter (jieba reads the file itself). */
  userDictPath: string;
  /** The user dictionary's words, normalized (the domain terms suggestions offer: src/vocabulary.ts). */
  words: string[];
  stopWords: Set<string>;
  /** Normalized members, canonical first. */
  synonyms: string[][];
  /** sha256 (hex) over the three files' names and contents. */
  hash: string;
}

function read(dir: string, file: DictFileName): string {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DictError('DICT_MISSING', file, [], `${file}: cannot read ${path.join(dir, file)} (${reason})`);
  }
}

/**
 * Reads and checks the dictionary files; throws DictError (DICT_MISSING or DICT_MALFORMED, with
 * line numbers) rather than index with a dictionary jieba would misread.
 *
 * @example
 * const dict = loadDictionary();
 * const segmenter = createSegmenter({ userDictPath: dict.userDictPath, stopWords: dict.stopWords });
 */
export function loadDictionary(dir: string = DEFAULT_DICT_DIR): Dictionary {
  const root = path.resolve(dir);
  const [userText, stopText, synonymText] = DICT_FILES.map((file) => read(root, file)) as [string, string, string];
  const userDict = parseUserDict(userText);
  const stopWords = parseStopWords(stopText);
  const synonyms = parseSynonyms(synonymText);
  checkStopWords(stopText, [...userDict.map((e) => e.word), ...synonyms.flat()]);

  const hash = createHash('sha256');
  for (const [i, text] of [userText, stopText, synonymText].entries()) {
    // Name and length first, so moving text from one file to the next changes the hash too.
    const bytes = Buffer.from(text, 'utf8');
    hash.update(`${DICT_FILES[i]}\0${bytes.length}\0`).update(bytes);
  }
  return { userDictPath: path.join(root, 'user.dict.utf8'), words: userDict.map((e) => normalize(e.word)), stopWords, synonyms, hash: hash.digest('hex') };
}
