/**
 * The suggestion vocabulary, gathered at index time: the central terms of each passage (jieba
 * keywords) and the domain dictionary's terms (data/dict/user.dict.utf8) wherever a passage
 * contains them, even where they are not central (医保基金, 发热门诊: the words people type, which a
 * passage about something else mentions in passing).
 *
 * A term's weight is the number of passages that hold it: as a central term, or for a dictionary
 * term, at all. Suggestions are ordered by it (suggest.ts).
 */

export interface Vocabulary {
  /** Counts a passage's terms. `keywords`: its central terms. */
  add(normText: string, keywords: readonly string[]): void;
  /** Term → weight. */
  counts(): ReadonlyMap<string, number>;
}

/**
 * `domainTerms`: normalized dictionary words. They are looked up by their first two characters at
 * each position of a passage, one map lookup per character rather than a scan per word.
 */
export function createVocabulary(domainTerms: Iterable<string>): Vocabulary {
  const byHead = new Map<string, string[]>();
  for (const t of new Set(domainTerms)) {
    if (t.length < 2) continue;
    const head = t.slice(0, 2);
    byHead.set(head, [...(byHead.get(head) ?? []), t]);
  }
  const counts = new Map<string, number>();
  return {
    add(normText, keywords) {
      const found = new Set(keywords);
      if (byHead.size) {
        for (let i = 0; i + 1 < normText.length; i++) {
          const words = byHead.get(normText.slice(i, i + 2));
          if (words) for (const w of words) if (normText.startsWith(w, i)) found.add(w);
        }
      }
      for (const t of found) counts.set(t, (counts.get(t) ?? 0) + 1);
    },
    counts: () => counts,
  };
}
