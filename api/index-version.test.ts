/**
 * The index version's bounds, on a clock of its own: how often it asks the engine, when a request
 * waits for it, and that a write of this process is never followed by the version from before it.
 * The engine's side (`lastWrite` against a real Meilisearch) is test/cache.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { createIndexVersion } from './index-version.ts';

/** A writer's marks as the engine would give them, and a clock the test moves. */
function setup() {
  let clock = 0;
  let mark = 1;
  let reads = 0;
  let down = false;
  let release: (() => void) | undefined;
  let hold = false;
  const engine = {
    async lastWrite() {
      reads++;
      const seen = String(mark);
      if (hold) await new Promise<void>((r) => (release = r));
      if (down) throw new Error('unreachable');
      return seen;
    },
  };
  const version = createIndexVersion(engine, { maxAgeMs: 1_000, refreshAfterMs: 500, now: () => clock });
  return {
    version,
    tick: (ms: number) => (clock += ms),
    write: () => mark++,
    reads: () => reads,
    setDown: (d: boolean) => (down = d),
    setHold: (h: boolean) => (hold = h),
    release: () => release?.(),
  };
}

describe('index version', () => {
  it('asks the engine once, then not again within refreshAfterMs', async () => {
    const t = setup();
    expect(await t.version.current()).toBe('1');
    t.tick(400);
    expect(await t.version.current()).toBe('1');
    expect(t.reads()).toBe(1);
  });

  it('refreshes in the background after refreshAfterMs, and never uses a version older than maxAgeMs', async () => {
    const t = setup();
    await t.version.current();
    t.write();
    t.tick(600);
    // Still the old one for this request, while a read goes out.
    expect(await t.version.current()).toBe('1');
    expect(t.reads()).toBe(2);
    await Promise.resolve();
    expect(await t.version.current()).toBe('2');
    t.write();
    t.tick(1_000);
    // Past the bound: this request waits for a read of its own.
    expect(await t.version.current()).toBe('3');
  });

  it('after changed(), never answers the version from before the write, even with an older read in flight', async () => {
    const t = setup();
    await t.version.current();
    t.tick(600);
    t.setHold(true);
    // A background read starts and stalls, having seen mark 1.
    expect(await t.version.current()).toBe('1');
    t.setHold(false);
    t.write();
    await t.version.changed();
    t.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(await t.version.current()).toBe('2');
  });

  it('is undefined while the engine does not answer, and comes back with it', async () => {
    const t = setup();
    t.setDown(true);
    expect(await t.version.current()).toBeUndefined();
    t.setDown(false);
    expect(await t.version.current()).toBe('1');
  });
});
