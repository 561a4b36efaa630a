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
