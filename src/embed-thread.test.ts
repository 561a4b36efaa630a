import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureModel } from '../indexer/model.ts';
import { createEmbedder, ModelError, type Embedder } from './embed.ts';
import { createThreadedEmbedder } from './embed-thread.ts';

let modelDir: string;
let threaded: Embedder;
let direct: Embedder;

beforeAll(async () => {
  ({ modelDir } = await ensureModel());
  [threaded, direct] = await Promise.all([createThreadedEmbedder({ modelDir }), createEmbedder({ modelDir })]);
});
afterAll(async () => {
  await Promise.all([threaded?.dispose(), direct?.dispose()]);
});

/** The longest the event loop went without running a 5 ms timer while `work` ran, ms. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  await work();
  tick();
  clearInterval(timer);
  return longest;
}

describe('the embedder in a worker thread', () => {
  test('gives the vectors the embedder on this thread gives, with progress and stats', async () => {
    const texts = ['加强村卫生室建设,消除行政村卫生室空白点', '深入推进紧密型县域医共体建设'];
    const progress: number[] = [];
    const [a, b] = await Promise.all([threaded.embed(texts, (done) => progress.push(done)), direct.embed(texts)]);
    expect(a).toEqual(b);
    expect(progress).toEqual([1, 2]);
    const q = await threaded.embedQuery('村卫生室空白点', { instruction: true });
    expect(q).toEqual(await direct.embedQuery('村卫生室空白点', { instruction: true }));
    await threaded.embedQuery('村卫生室空白点', { instruction: true });
    expect(threaded.stats.queryCacheHits).toBe(1);
  });

  test('leaves this thread free while it embeds a long text', async () => {
    const text = '加强村卫生室建设,消除行政村卫生室空白点,完善专项行动台账。'.repeat(70).slice(0, 2000);
    // On this thread, the event loop stands still for the whole inference.
    const blocked = await longestStall(() => direct.embedQuery(`${text}甲`, { instruction: false }));
    const free = await longestStall(() => threaded.embedQuery(`${text}乙`, { instruction: false }));
    expect(free).toBeLessThan(blocked / 2);
  });

  test('a model that cannot be loaded comes back as the same ModelError', async () => {
    const err = await createThreadedEmbedder({ modelDir: '/nonexistent-model-dir' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe('MODEL_MISSING');
  });
});
