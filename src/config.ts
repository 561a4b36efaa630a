/**
 * Configuration from the environment, read once at start. Every variable is documented in the
 * README; a bad value stops the start with a message naming it.
 */
import path from 'node:path';
import { parseNetwork, type NetworkNode } from './engine/network.ts';
import { CodedError } from './errors.ts';

export interface Config {
  port: number;
  /** Address the API listens on. */
  host: string;
  dataDir: string;
  /** Set: use this Meilisearch and start none. */
  meiliUrl: string | undefined;
  meiliKey: string | undefined;
  /** Set: several Meilisearch nodes (MEILI_NETWORK), documents placed by notice across them; start none. */
  meiliNetwork?: NetworkNode[] | undefined;
  /** Port of the embedded Meilisearch; 0 picks a free one. */
  meiliPort: number;
  adminKey: string | undefined;
  /** undefined: any origin for the public GET routes. */
  corsOrigins: string[] | undefined;
  modelDir: string;
  /** The embedding cache (indexer/embed-cache.ts). */
  embedCacheFile: string;
  /** Whether passages are embedded for similar-measure and hybrid search. */
  embeddings: boolean;
  /** Largest engine batch an index run sends, bytes of JSON (INDEX_BATCH_BYTES). */
  indexBatchBytes: number;
  /** Largest request our own Meilisearch takes, bytes (MEILI_PAYLOAD_LIMIT): its --http-payload-size-limit. */
  meiliPayloadLimit: number;

  // Operations (docs/operations.md "Logs", "Shutdown and timeouts").
  /** pino level of the API's JSON log (LOG_LEVEL). */
  logLevel: LogLevel;
  /** How long a shutdown waits for in-flight requests before cutting them, ms (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs: number;
  /** Longest a client may take to send a whole request, headers and body, ms (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Longest a client may take to send the request headers, ms (HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** Size at which our Meilisearch's log is rotated (one old copy kept), bytes (MEILI_LOG_BYTES). */
  meiliLogBytes: number;

  // Backups and disk watermarks (docs/operations.md).
  /** Free bytes under DATA_DIR below which writes answer 507 (MIN_FREE_BYTES); 0 turns the watermark off. */
  minFreeBytes: number;
  /** Seconds between scheduled backups into `backupDir` (SNAPSHOT_INTERVAL); 0: none. */
  snapshotInterval: number;
  /** Scheduled backups kept, newest first (BACKUP_KEEP). */
  backupKeep: number;
  /** Where backups are written (DATA_DIR/backups). */
  backupDir: string;
  /** How long an admin job (reindex, backup) is waited for before the answer is 202 with its job id, ms (ADMIN_WAIT_MS). */
  adminWaitMs: number;

  // The response cache and HTTP caching of the public read routes (docs/cache.md).
  /** Bytes of answers the response cache keeps (CACHE_BYTES); 0 turns it off. */
  cacheBytes: number;
  /** `Cache-Control: max-age` of public GET answers, seconds (CACHE_MAX_AGE); 0 sends `no-cache`. */
  cacheMaxAge: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (env.LOG_LEVEL || 'info').toLowerCase();
  const level = LOG_LEVELS.find((l) => l === raw);
  if (!level) throw new ConfigError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(env.LOG_LEVEL)})`);
  return level;
}

/** DATA_DIR, default ./var; always absolute. */
function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DATA_DIR || './var');
}

/** MODEL_DIR, else `<DATA_DIR>/models`; always absolute. */
export function modelDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MODEL_DIR || path.join(dataDirOf(env), 'models'));
}

export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', message);
    this.name = 'ConfigError';
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(name, `${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  return n;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = dataDirOf(env);
  const meiliUrl = env.MEILI_URL || undefined;
  if (meiliUrl && !/^https?:\/\//.test(meiliUrl)) throw new ConfigError('MEILI_URL', `MEILI_URL must start with http:// or https:// (got ${JSON.stringify(meiliUrl)})`);
  let meiliNetwork: NetworkNode[] | undefined;
  if (env.MEILI_NETWORK) {
    if (meiliUrl) throw new ConfigError('MEILI_NETWORK', 'MEILI_NETWORK and MEILI_URL exclude each other: name every node in MEILI_NETWORK');
    try {
      meiliNetwork = parseNetwork(env.MEILI_NETWORK, env.MEILI_MASTER_KEY || undefined);
    } catch (e) {
      throw new ConfigError('MEILI_NETWORK', `MEILI_NETWORK: ${(e as Error).message} (expected name=url,name=url… or JSON [{"name","url","key"}…]; see docs/scaling.md)`);
    }
  }
  const embeddings = (env.EMBEDDINGS ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(embeddings)) throw new ConfigError('EMBEDDINGS', `EMBEDDINGS must be on or off (got ${JSON.stringify(env.EMBEDDINGS)})`);
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    dataDir,
    meiliUrl,
    meiliKey: env.MEILI_MASTER_KEY || undefined,
    meiliNetwork,
    meiliPort: int(env, 'MEILI_PORT', 0, 0, 65535),
    adminKey: env.ADMIN_KEY || undefined,
    corsOrigins: env.CORS_ORIGINS ? env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    modelDir: modelDirOf(env),
    embedCacheFile: path.join(dataDir, 'embed-cache.bin'),
    embeddings: embeddings === 'on',
    indexBatchBytes: int(env, 'INDEX_BATCH_BYTES', 32 * 1024 * 1024, 16 * 1024, 1024 * 1024 * 1024),
    meiliPayloadLimit: int(env, 'MEILI_PAYLOAD_LIMIT', 200 * 1000 * 1000, 64 * 1024, 4 * 1024 * 1024 * 1024),
    cacheBytes: int(env, 'CACHE_BYTES', 64 * 1024 * 1024, 0, 64 * 1024 * 1024 * 1024),
    cacheMaxAge: int(env, 'CACHE_MAX_AGE', 5, 0, 365 * 24 * 3600),
    // Backups and disk watermarks.
    minFreeBytes: int(env, 'MIN_FREE_BYTES', 256 * 1024 * 1024, 0, Number.MAX_SAFE_INTEGER),
    snapshotInterval: int(env, 'SNAPSHOT_INTERVAL', 0, 0, 366 * 24 * 3600),
    backupKeep: int(env, 'BACKUP_KEEP', 3, 1, 1000),
    backupDir: path.join(dataDir, 'backups'),
    adminWaitMs: int(env, 'ADMIN_WAIT_MS', 20_000, 0, 10 * 60_000),
    ...operations(env),
  };
}

function operations(env: NodeJS.ProcessEnv) {
  const requestTimeoutMs = int(env, 'REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000);
  const headersTimeoutMs = int(env, 'HEADERS_TIMEOUT_MS', 10_000, 1_000, 600_000);
  // node:http refuses a headers timeout above the request timeout.
  if (headersTimeoutMs > requestTimeoutMs) throw new ConfigError('HEADERS_TIMEOUT_MS', `HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${requestTimeoutMs})`);
  return {
    logLevel: logLevel(env),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 8_000, 0, 600_000),
    requestTimeoutMs,
    headersTimeoutMs,
    meiliLogBytes: int(env, 'MEILI_LOG_BYTES', 10 * 1024 * 1024, 4 * 1024, 1024 * 1024 * 1024),
  };
}
