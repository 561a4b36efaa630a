/**
 * Declared synonym groups (data/dict/synonyms.txt). A search for any member finds passages that
 * contain any member. The engine cannot express "this phrase or that one", so each passage
 * carries one index word per group it mentions, and a member in a query becomes that word.
 */
import { createHash } from 'node:crypto';
import { normalize } from './normalize.ts';

export interface SynonymGroup {
  /** Normalized members, canonical first. */
  members: string[];
  /** The index word standing for the group: `z` + letters, never a character code. */
  word: string;
}

export interface SynonymIndex {
  groups: readonly SynonymGroup[];
  groupOf(normTerm: string): SynonymGroup | undefined;
  /** Index words of the groups a passage mentions. */
  wordsIn(normText: string): string[];
}

function groupWord(canonical: string): string {
  const hex = createHash('sha256').update(canonical).digest('hex').slice(0, 12);
  return 'zs' + Array.from(hex, (h) => String.fromCharCode(97 + parseInt(h, 16))).join('');
}

export function createSynonymIndex(groups: readonly (readonly string[])[]): SynonymIndex {
  const byMember = new Map<string, SynonymGroup>();
  const all: SynonymGroup[] = [];
  for (const raw of groups) {
    const members = [...new Set(raw.map(normalize).filter(Boolean))];
    if (members.length < 2) continue;
    const group = { members, word: groupWord(members[0]!) };
    all.push(group);
    for (const m of members) byMember.set(m, group);
  }
  return {
    groups: all,
    groupOf: (t) => byMember.get(t),
    wordsIn: (text) => all.filter((g) => g.members.some((m) => text.includes(m))).map((g) => g.word),
  };
}
