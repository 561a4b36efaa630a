/**
 * The dictionary files of data/dict/, parsed from their contents (reading them is the job of
 * indexer/dict-files.ts). Each parser checks the whole text and reports every bad line at once,
 * so a person editing a file fixes it in one pass.
 *
 * - user.dict.utf8: jieba's own user-dictionary format, read by jieba itself. jieba has no
 *   comments and does not report bad lines (it inserts them as words or reads a frequency as a
 *   tag), so everything it would misread is refused here before it gets the file.
 * - stop_words.utf8: one word per line, # comments.
 * - synonyms.txt: one group per line, members separated by single spaces, canonical first.
 *
 * Terms are compared with normalized text (see normalize.ts), so stop words and synonyms are
 * normalized on the way in, and user-dictionary words must already be in normal form: jieba
 * reads that file as it is and only ever sees normalized text.
 */
import { normalize } from './normalize.ts';
import { CodedError } from './errors.ts';

export type DictFileName = 'user.dict.utf8' | 'stop_words.utf8' | 'synonyms.txt';

export interface DictIssue {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export class DictError extends CodedError<'DICT_MISSING' | 'DICT_MALFORMED'> {
  constructor(
    /** DICT_MISSING: the file cannot be read. DICT_MALFORMED: see `issues`. */
    code: 'DICT_MISSING' | 'DICT_MALFORMED',
    readonly file: DictFileName,
    readonly issues: readonly DictIssue[],
    message: string = `${file}: ${issues.map((i) => `line ${i.line}: ${i.message}`).join('; ')}`,
  ) {
    super(code, message);
    this.name = 'DictError';
  }
}

export interface UserDictEntry {
  word: string;
  /** jieba's frequency for the word; null lets jieba choose (its median). */
  freq: number | null;
  /** Part-of-speech tag (nz, n, l, …); null when the line gives none. */
  tag: string | null;
  line: number;
}

const BOM = '\uFEFF';
const HAN = /\p{Script=Han}/u;
const TERM_CHARS = /^[\p{L}\p{N}]+$/u;
const TAG = /^[a-z]+$/i;
const FREQ = /^[1-9][0-9]{0,8}$/;

function lines(text: string): string[] {
  return text.split('\n');
}

/** What is wrong with a term as a dictionary entry, or null. `term` is already normalized. */
function termProblem(term: string): string | null {
  if (!TERM_CHARS.test(term)) return `"${term}" may contain only letters and digits`;
  if (Array.from(term).length < 2) return `"${term}" is a single character; every passage would match it`;
  if (!HAN.test(term) && /^[0-9]+$/.test(term)) return `"${term}" is a number, not a term`;
  return null;
}

function fail(file: DictFileName, issues: DictIssue[]): void {
  if (issues.length > 0) throw new DictError('DICT_MALFORMED', file, issues);
}

/**
 * Checks a jieba user dictionary. Each line is `word`, `word tag` or `word freq tag`, fields
 * separated by one space; empty lines are allowed (jieba skips them), comments are not.
 *
 * @example
 * parseUserDict('医共体 3000 nz\n一岗双责 3000 nz\n'); // → [{ word: '医共体', freq: 3000, tag: 'nz', line: 1 }, …]
 */
export function parseUserDict(text: string): UserDictEntry[] {
  const issues: DictIssue[] = [];
  const entries: UserDictEntry[] = [];
  const firstLine = new Map<string, number>();
  lines(text).forEach((raw, i) => {
    const line = i + 1;
    const problem = (message: string) => issues.push({ line, message });
    if (raw === '') return;
    if (raw.includes('\r')) return problem('carriage return: save the file with LF line endings (jieba would keep the CR in the entry)');
    if (line === 1 && raw.startsWith(BOM)) return problem('byte-order mark: save the file as UTF-8 without BOM (jieba would read it as part of the word)');
    if (raw.startsWith('#')) return problem('jieba has no comments; it would add this line as a word (document entries in README.md)');
    if (/[^\S ]/u.test(raw)) return problem('tab or other whitespace: separate fields with single spaces');
    const fields = raw.split(' ');
    if (fields.some((f) => f === '')) return problem('empty field: separate fields with exactly one space, no leading or trailing spaces');
    if (fields.length > 3) return problem(`${fields.length} fields; expected "word", "word tag" or "word freq tag"`);
    const [word, second, third] = fields as [string, string?, string?];
    const norm = normalize(word);
    if (norm !== word) return problem(`"${word}" is not in normalized form; write "${norm}" (jieba only sees normalized text)`);
    const bad = termProblem(word);
    if (bad) return problem(bad);
    let freq: number | null = null;
    let tag: string | null = null;
    if (third !== undefined) {
      if (!FREQ.test(second!)) return problem(`frequency "${second}" must be a positive integer`);
      freq = Number(second);
      tag = third;
    } else if (second !== undefined) {
      if (/^[0-9]+$/.test(second)) return problem(`"${word} ${second}": jieba reads a lone number as a tag; write "${word} ${second} nz"`);
      tag = second;
    }
    if (tag !== null && !TAG.test(tag)) return problem(`tag "${tag}" must be letters (nz, n, l, …)`);
    const seen = firstLine.get(word);
    if (seen !== undefined) return problem(`"${word}" is already on line ${seen}`);
    firstLine.set(word, line);
    entries.push({ word, freq, tag, line });
  });
  fail('user.dict.utf8', issues);
  return entries;
}

/**
 * Stop words: one word per line, normalized; `#` lines and blank lines are skipped.
 *
 * @example
 * parseStopWords('# particles\n的\n開展\n'); // → Set { '的', '开展' }
 */
export function parseStopWords(text: string): Set<string> {
  const issues: DictIssue[] = [];
  const words = new Set<string>();
  lines(text.replace(/^\uFEFF/, '')).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    // Checked before normalizing, which drops spaces between Chinese characters.
    if (/\s/u.test(trimmed)) issues.push({ line: i + 1, message: `"${trimmed}" has a space inside; put one word per line` });
    else words.add(normalize(trimmed));
  });
  fail('stop_words.utf8', issues);
  return words;
}

/**
 * Refuses stop words that are also dictionary terms or synonym members: such a term was added to
 * be found, and as a stop word it would silently never come out of keywords or suggestions.
 *
 * @example
 * checkStopWords('的\n医共体\n', ['医共体']); // throws DictError: stop_words.utf8: line 2: …
 */
export function checkStopWords(stopWordsText: string, terms: Iterable<string>): void {
  const reserved = new Set(terms);
  const issues: DictIssue[] = [];
  lines(stopWordsText.replace(/^\uFEFF/, '')).forEach((raw, i) => {
    const word = normalize(raw.trim());
    if (word !== '' && !word.startsWith('#') && reserved.has(word)) {
      issues.push({ line: i + 1, message: `"${word}" is a term of user.dict.utf8 or synonyms.txt; a stop word would hide it` });
    }
  });
  fail('stop_words.utf8', issues);
}

/**
 * Synonym groups: one per line, members separated by single spaces, canonical member first.
 * Members are normalized and deduplicated; a group needs two different members, and a term may
 * belong to one group only (otherwise "the group of X" would be ambiguous).
 *
 * @example
 * parseSynonyms('# alliances\n医联体 醫療聯合體\n'); // → [['医联体', '医疗联合体']]
 */
export function parseSynonyms(text: string): string[][] {
  const issues: DictIssue[] = [];
  const groups: string[][] = [];
  const groupLine = new Map<string, number>();
  lines(text.replace(/^\uFEFF/, '')).forEach((raw, i) => {
    const line = i + 1;
    const problem = (message: string) => issues.push({ line, message });
    const content = raw.replace(/\r$/, '');
    if (content.trim() === '' || content.trimStart().startsWith('#')) return;
    if (/[^\S ]/u.test(content)) return problem('tab or other whitespace: separate members with single spaces');
    const fields = content.split(' ');
    if (fields.some((f) => f === '')) return problem('empty member: separate members with exactly one space, no leading or trailing spaces');
    const members: string[] = [];
    for (const field of fields) {
      const member = normalize(field);
      const bad = termProblem(member);
      if (bad) return problem(`${bad}${/[,，、;；]/u.test(field) ? ' (separate members with spaces, not punctuation)' : ''}`);
      if (!members.includes(member)) members.push(member);
    }
    if (members.length < 2) return problem(`a group needs at least two different members (got "${content}")`);
    for (const member of members) {
      const other = groupLine.get(member);
      if (other !== undefined) return problem(`"${member}" is already in the group on line ${other}; a term belongs to one group only`);
    }
    for (const member of members) groupLine.set(member, line);
    groups.push(members);
  });
  fail('synonyms.txt', issues);
  return groups;
}
