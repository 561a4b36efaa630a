/**
 * Creating indexes and keeping their settings in step with the code and data/dict/.
 */
import { createHash } from 'node:crypto';
import { EngineError, type Engine } from './client.ts';
import { INDEX, noticeSettings, passageSettings, stateSettings, termSettings } from '../settings.ts';

/** Bump when the document encoding changes, so existing indexes are rebuilt. */
const ENCODING_VERSION = 1;

export interface IndexNames {
  passages: string;
  notices: string;
  state: string;
  terms: string;
}

export const LIVE: IndexNames = { ...INDEX };
export const STAGING: IndexNames = { passages: `${INDEX.passages}_next`, notices: `${INDEX.notices}_next`, state: `${INDEX.state}_next`, terms: `${INDEX.terms}_next` };

/** What the documents were built with: a different value means every document must be rebuilt. */
export function buildHash(dictHash: string, extra: unknown = null): string {
  return createHash('sha256')
    .update(JSON.stringify({ ENCODING_VERSION, dictHash, passageSettings, noticeSettings, termSettings, extra }))
    .digest('hex')
    .slice(0, 16);
}

export async function indexExists(engine: Engine, uid: string): Promise<boolean> {
  try {
    await engine.request('GET', `/indexes/${uid}`);
    return true;
  } catch (e) {
    if (e instanceof EngineError && e.status === 404) return false;
    throw e;
  }
}

export async function ensureIndex(engine: Engine, uid: string, settings: object, primaryKey = 'id'): Promise<void> {
  if (!(await indexExists(engine, uid))) {
    await engine.wait(await engine.request('POST', '/indexes', { uid, primaryKey }));
  }
  await engine.wait(await engine.request('PATCH', `/indexes/${uid}/settings`, settings));
}

export async function ensureIndexes(engine: Engine, names: IndexNames, extraPassageSettings: object = {}): Promise<void> {
  await ensureIndex(engine, names.passages, { ...passageSettings, ...extraPassageSettings });
  await ensureIndex(engine, names.notices, noticeSettings);
  await ensureIndex(engine, names.state, stateSettings);
  await ensureIndex(engine, names.terms, termSettings);
}

export async function deleteIndexes(engine: Engine, names: IndexNames): Promise<void> {
  for (const uid of Object.values(names)) {
    if (await indexExists(engine, uid)) await engine.wait(await engine.request('DELETE', `/indexes/${uid}`));
  }
}

/** Swaps staging with live in one engine task: searches see the old indexes or the new, never a mix. */
export async function swapIn(engine: Engine, staging: IndexNames, live: IndexNames = LIVE): Promise<void> {
  const pairs = (Object.keys(live) as Array<keyof IndexNames>).map((k) => ({ indexes: [live[k], staging[k]] }));
  await engine.wait(await engine.request('POST', '/swap-indexes', pairs));
  await deleteIndexes(engine, staging);
}

export async function getDocument<T>(engine: Engine, uid: string, id: string): Promise<T | undefined> {
  try {
    return await engine.request<T>('GET', `/indexes/${uid}/documents/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof EngineError && e.status === 404) return undefined;
    throw e;
  }
}
