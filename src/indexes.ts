/**
 * Our indexes: their names (live and staging), creating them and keeping their settings in step
 * with the code and data/dict/, and swapping a staging build in. Engine calls go through the
 * engine port (src/engine/port.ts).
 */
import { createHash } from 'node:crypto';
import type { Engine, IndexSettings } from './engine/port.ts';
import { INDEX, noticeSettings, passageSettings, stateSettings, termSettings } from './settings.ts';

/** Bump when the document encoding changes, so existing indexes are rebuilt. */
// 2: `source` is the path relative to the folder indexed (or the upload name), never a server path.
// 3: a notice lists every file holding it (`sources`); passages carry no source bookkeeping.
const ENCODING_VERSION = 3;

export interface IndexNames {
  passages: string;
  notices: string;
  state: string;
  terms: string;
}

export const LIVE: IndexNames = { ...INDEX };
export const STAGING: IndexNames = { passages: `${INDEX.passages}_next`, notices: `${INDEX.notices}_next`, state: `${INDEX.state}_next`, terms: `${INDEX.terms}_next` };

const KINDS = ['passages', 'notices', 'state', 'terms'] as const satisfies ReadonlyArray<keyof IndexNames>;

/** What the documents were built with: a different value means every document must be rebuilt. */
export function buildHash(dictHash: string, extra: unknown = null): string {
  return createHash('sha256')
    .update(JSON.stringify({ ENCODING_VERSION, dictHash, passageSettings, noticeSettings, stateSettings, termSettings, extra }))
    .digest('hex')
    .slice(0, 16);
}

async function ensureIndex(engine: Engine, uid: string, settings: IndexSettings, primaryKey = 'id'): Promise<void> {
  const index = engine.index(uid);
  if (!(await index.info())) await engine.wait(await index.create(primaryKey));
  await engine.wait(await index.updateSettings(settings));
}

export async function ensureIndexes(engine: Engine, names: IndexNames, extraPassageSettings: IndexSettings = {}): Promise<void> {
  await ensureIndex(engine, names.passages, { ...passageSettings, ...extraPassageSettings });
  await ensureIndex(engine, names.notices, noticeSettings);
  await ensureIndex(engine, names.state, stateSettings);
  await ensureIndex(engine, names.terms, termSettings);
}

export async function deleteIndexes(engine: Engine, names: IndexNames): Promise<void> {
  for (const kind of KINDS) {
    const index = engine.index(names[kind]);
    if (await index.info()) await engine.wait(await index.delete());
  }
}

/** Swaps staging with live in one engine task: searches see the old indexes or the new, never a mix. */
export async function swapIn(engine: Engine, staging: IndexNames, live: IndexNames = LIVE): Promise<void> {
  await engine.wait(await engine.swap(KINDS.map((k) => [live[k], staging[k]] as const)));
  await deleteIndexes(engine, staging);
}
