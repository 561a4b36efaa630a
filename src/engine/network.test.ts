import { describe, expect, it } from 'vitest';
import { parseNetwork } from './network.ts';
import { ConfigError, readConfig } from '../config.ts';

describe('MEILI_NETWORK', () => {
  it('reads name=url lists, every node with MEILI_MASTER_KEY', () => {
    expect(parseNetwork('a=http://10.0.0.5:7700, b=http://10.0.0.6:7700/', 'k')).toEqual([
      { name: 'a', url: 'http://10.0.0.5:7700', key: 'k' },
      { name: 'b', url: 'http://10.0.0.6:7700', key: 'k' },
    ]);
  });

  it('reads JSON when keys differ, as a list or by name', () => {
    const list = parseNetwork('[{"name":"a","url":"http://h1:7700","key":"k1"},{"name":"b","url":"http://h2:7700"}]', 'k');
    expect(list).toEqual([{ name: 'a', url: 'http://h1:7700', key: 'k1' }, { name: 'b', url: 'http://h2:7700', key: 'k' }]);
    expect(parseNetwork('{"a":{"url":"http://h1:7700","key":"k1"},"b":{"url":"http://h2:7700"}}', 'k')).toEqual(list);
  });

  it.each([
    ['a=http://h1,a=http://h2', 'appears twice'],
    ['a=ftp://h1', 'http://'],
    ['http://h1', 'name=url'],
    ['a b=http://h1', 'name=url'],
    ['[{"url":"http://h1"}]', '"name"'],
    ['{"a":', 'JSON'],
    ['bad.name=http://h1', 'letters, digits'],
  ])('%s is refused (%s)', (raw, message) => {
    expect(() => parseNetwork(raw)).toThrow(message);
  });

  it('stops the start with an error naming the variable', () => {
    expect(() => readConfig({ MEILI_NETWORK: 'oops' })).toThrow(ConfigError);
    expect(() => readConfig({ MEILI_NETWORK: 'a=http://h1', MEILI_URL: 'http://h2' })).toThrow(/MEILI_NETWORK and MEILI_URL/);
    expect(readConfig({}).meiliNetwork).toBeUndefined();
    expect(readConfig({ MEILI_NETWORK: 'a=http://h1', MEILI_MASTER_KEY: 'k' }).meiliNetwork).toEqual([{ name: 'a', url: 'http://h1', key: 'k' }]);
  });
});
