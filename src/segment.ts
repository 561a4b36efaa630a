/**
 * The segment stage: Chinese text → words, with jieba (nodejieba) and the project's user
 * dictionary, so that domain terms such as 医共体, 一岗双责 and 三重一大 stay whole.
 *
 * Segmentation is for keywords, suggestions and query terms, not for matching: search matches
 * normalized substrings (see grams.ts), so a term cut differently in two places is still found.
 * All text given here must already be normalized (normalize.ts), as the dictionary is.
 *
 * jieba lives in native global state: one dictionary per process, loaded once. createSegmenter
 * may be called any number of times with the same dictionary (it loads on the first call only);
 * asking for a different dictionary, or for the same file after it changed, fails with
 * SEGMENT_DICT_CONFLICT instead of silently changing how earlier segmenters cut. This module is
 * the only one that may import nodejieba.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nodejieba from 'nodejieba';
import { DictError, parseUserDict } from './dict.ts';
import { CodedError } from './errors.ts';

export interface SegmenterOptions {
  /** Path of a jieba user dictionary (data/dict/user.dict.utf8; see indexer/dict-files.ts). */
  userDictPath: string;
  /** Normalized words that keywords() and terms() leave out. */
  stopWords: ReadonlySet<string>;
}

export interface Segmenter {
  /** Every token in order, punctuation and spaces included: `cut(t).join('') === t`. */
  cut(text: string): string[];
  /** jieba's search mode: the words of cut() plus the dictionary words inside long ones; no spaces. */
  cutForSearch(text: string): string[];
  /** Up to topK distinct content words by TF-IDF, best first (ties by code point). */
  keywords(text: string, topK: number): string[];
  /** The content words of cut(), in text order with repeats (for counting): no stop words. */
  terms(text: string): string[];
}

export type SegmentErrorCode =
  /** The user dictionary file cannot be read. */
  | 'SEGMENT_DICT_MISSING'
  /** The user dictionary has lines jieba would misread; `cause` is the DictError with line numbers. */
  | 'SEGMENT_DICT_MALFORMED'
  /** jieba already holds another dictionary (or an older version of this one) in this process. */
  | 'SEGMENT_DICT_CONFLICT';

export class SegmentError extends CodedError<SegmentErrorCode> {
  override readonly name = 'SegmentError';
}

const HAN = /\p{Script=Han}/u;
const LETTERS = /^\p{L}+$/u;

/**
 * Whether a token can be a keyword or suggestion: two or more characters, and either Chinese or
 * a run of letters (icu, drg). Punctuation, numbers (2024, 20xx) and single characters are not:
 * a lone character is a function word or a fragment jieba could not place.
 */
export function isContentTerm(token: string): boolean {
  if (Array.from(token).length < 2) return false;
  return HAN.test(token) ? !/[^\p{L}\p{N}]/u.test(token) : LETTERS.test(token);
}

/** A text's content words in order, repeats kept: the keyword evidence of similar measures. */
export function contentTerms(segmenter: Pick<Segmenter, 'cutForSearch'>, stopWords: ReadonlySet<string>): (normText: string) => string[] {
  return (normText) => segmenter.cutForSearch(normText).filter((w) => isContentTerm(w) && !stopWords.has(w));
}

/** The dictionary jieba holds in this process, if any. */
let loaded: { path: string; digest: string } | null = null;

function loadOnce(userDictPath: string): void {
  const file = path.resolve(userDictPath);
  // cppjieba splits its path argument on | and ; (several dictionaries in one string).
  if (/[|;]/.test(file)) throw new SegmentError('SEGMENT_DICT_MISSING', `user dictionary path must not contain | or ; (got ${file})`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // Checked here because cppjieba aborts the whole process on a file it cannot open.
    throw new SegmentError('SEGMENT_DICT_MISSING', `cannot read user dictionary ${file}`, { cause: err });
  }
  try {
    parseUserDict(text);
  } catch (err) {
    if (err instanceof DictError) throw new SegmentError('SEGMENT_DICT_MALFORMED', err.message, { cause: err });
    throw err;
  }
  const digest = createHash('sha256').update(text).digest('hex');
  if (loaded === null) {
    nodejieba.load({ userDict: file });
    loaded = { path: file, digest };
  } else if (loaded.path !== file || loaded.digest !== digest) {
    const what = loaded.path !== file ? `${loaded.path} is loaded, not ${file}` : `${file} changed since it was loaded`;
    throw new SegmentError('SEGMENT_DICT_CONFLICT', `jieba holds one dictionary per process: ${what}; restart the process to use the new one`);
  }
}

/**
 * @example
 * const seg = createSegmenter({ userDictPath: 'data/dict/user.dict.utf8', stopWords: new Set(['开展']) });
 * seg.cut('推进紧密型县域医共体建设'); // → ['推进', '紧密型', '县域', '医共体', '建设']
 * seg.keywords('开展村卫生室医疗废弃物处置', 2); // → ['医疗废弃物', '村卫生室'] (开展 is a stop word)
 */
export function createSegmenter(options: SegmenterOptions): Segmenter {
  loadOnce(options.userDictPath);
  const stopWords = new Set(options.stopWords);
  const isKept = (token: string) => isContentTerm(token) && !stopWords.has(token);
  // The second argument of cut/cutForSearch turns on jieba's HMM for words not in the
  // dictionary: it keeps numbers (2024) and unlisted words (工单, 质效) whole instead of one
  // character per token, and it is what extract() uses, so keywords are always tokens of cut().
  const cut = (text: string): string[] => (text === '' ? [] : nodejieba.cut(text, true));
  return {
    cut,
    cutForSearch: (text) => (text === '' ? [] : nodejieba.cutForSearch(text, true).filter((t) => t.trim() !== '')),
    keywords(text, topK) {
      const k = Math.floor(topK);
      if (!(k >= 1) || text === '') return [];
      // All candidates (a text has at most text.length distinct words), then our filters, so
      // stop words never take places from real keywords. jieba's own stop list applies too.
      const all = nodejieba.extract(text, Math.min(text.length, 0x7fffffff));
      return all
        .filter((w) => isKept(w.word))
        .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
        .slice(0, k)
        .map((w) => w.word);
    },
    terms: (text) => cut(text).filter(isKept),
  };
}
