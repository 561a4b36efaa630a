import { describe, expect, it } from 'vitest';
import { CodedError } from '../src/errors.ts';
import { createJobs, settlesWithin } from './jobs.ts';

describe('admin jobs', () => {
  it('report their step, then their result', async () => {
    const jobs = createJobs();
    let finish: (v: string) => void = () => {};
    const job = jobs.start('backup', (step) => {
      step('snapshot');
      return new Promise<string>((r) => (finish = r));
    });
    expect(jobs.get(job.id)).toMatchObject({ kind: 'backup', state: 'running', step: 'snapshot', finishedAt: null });
    expect(await settlesWithin(job, 10)).toBe(false);
    finish('file.tar.gz');
    expect(await settlesWithin(job, 1000)).toBe(true);
    expect(jobs.get(job.id)).toMatchObject({ state: 'succeeded', result: 'file.tar.gz' });
  });

  it('report the code and message of a failure', async () => {
    const jobs = createJobs();
    const job = jobs.start('reindex', async () => {
      throw new CodedError('DISK_LOW', 'no room');
    });
    await job.done.catch(() => {});
    expect(jobs.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'DISK_LOW', message: 'no room' } });
  });

  it('forget the oldest beyond the number kept', async () => {
    const jobs = createJobs(2);
    const ids = [1, 2, 3].map((n) => jobs.start('x', async () => n).id);
    expect(ids.map((id) => jobs.get(id)?.kind ?? null)).toEqual([null, 'x', 'x']);
  });
});
