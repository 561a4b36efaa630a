import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { modelDirOf, readConfig } from './config.ts';

describe('one source for each default', () => {
  test('MODEL_DIR wins, else <DATA_DIR>/models, else ./var/models', () => {
    expect(modelDirOf({ MODEL_DIR: '/srv/models', DATA_DIR: '/srv/data' })).toBe('/srv/models');
    expect(modelDirOf({ DATA_DIR: '/srv/data' })).toBe('/srv/data/models');
    expect(modelDirOf({})).toBe(join(process.cwd(), 'var', 'models'));
    expect(readConfig({ DATA_DIR: '/srv/data' }).modelDir).toBe('/srv/data/models');
  });

  test('the embedding cache is <DATA_DIR>/embed-cache.bin', () => {
    expect(readConfig({ DATA_DIR: '/srv/data' }).embedCacheFile).toBe('/srv/data/embed-cache.bin');
  });

  test('HOST, default every address', () => {
    expect(readConfig({}).host).toBe('0.0.0.0');
    expect(readConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });
});

describe('abuse limits', () => {
  test('defaults: budgets on, one model request at a time with two waiting, no proxy believed', () => {
    const l = readConfig({}).limits;
    expect([l.rateLimit, l.modelRateLimit, l.modelConcurrency, l.modelQueue, l.modelQueueMs, l.trustProxy]).toEqual([600, 60, 1, 2, 1000, 0]);
    expect(readConfig({ MODEL_CONCURRENCY: '3' }).limits.modelQueue).toBe(6);
  });

  test('a bad value names its variable', () => {
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY must be an integer/);
    expect(() => readConfig({ RATE_LIMIT: '-1' })).toThrow(/RATE_LIMIT/);
    expect(() => readConfig({ FRAME_ANCESTORS: "'none' https://a.example" })).toThrow(/'none' stands alone/);
  });
});
