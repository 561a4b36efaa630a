import { describe, expect, test } from 'vitest';
import { readConfig } from './config.ts';

describe('operations variables (docs/operations.md)', () => {
  test('defaults: info log, 30 s for a request, 10 s for its headers, 8 s of drain, a 10 MiB engine log', () => {
    expect(readConfig({})).toMatchObject({ logLevel: 'info', requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, shutdownGraceMs: 8_000, meiliLogBytes: 10 * 1024 * 1024 });
  });

  test('set values are read, LOG_LEVEL in any case', () => {
    expect(readConfig({ LOG_LEVEL: 'WARN', REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '2000', SHUTDOWN_GRACE_MS: '0', MEILI_LOG_BYTES: '4096' })).toMatchObject({
      logLevel: 'warn',
      requestTimeoutMs: 5_000,
      headersTimeoutMs: 2_000,
      shutdownGraceMs: 0,
      meiliLogBytes: 4096,
    });
  });

  test.each([
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ REQUEST_TIMEOUT_MS: '300' }, 'REQUEST_TIMEOUT_MS must be an integer from 1000'],
    [{ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '5000' }, 'HEADERS_TIMEOUT_MS (20000) must not exceed REQUEST_TIMEOUT_MS (5000)'],
    [{ SHUTDOWN_GRACE_MS: '-1' }, 'SHUTDOWN_GRACE_MS must be an integer'],
    [{ MEILI_LOG_BYTES: '100' }, 'MEILI_LOG_BYTES must be an integer from 4096'],
  ])('%j is refused, naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });
});
