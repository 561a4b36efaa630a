/**
 * Configuration from the environment, read once at start. Every variable is documented in the
 * README; a bad value stops the start with a message naming it.
 */
import { availableParallelism } from 'node:os';
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

  /** Abuse limits (docs/security.md): per-client budgets, the model routes' cap, framing. */
  limits: LimitsConfig;
}

export interface LimitsConfig {
  /** Requests per minute per client on the cheap public routes (RATE_LIMIT); 0 = off. */
  rateLimit: number;
  /** Requests per minute per client on the model routes (MODEL_RATE_LIMIT); 0 = off. */
  modelRateLimit: number;
  /** Reverse proxies in front whose X-Forwarded-For is believed (TRUST_PROXY); 0 = none: the socket address is the client. */
  trustProxy: number;
  /** Model requests run at once (MODEL_CONCURRENCY); 0 = no cap. */
  modelConcurrency: number;
  /** Model requests that may wait for a slot (MODEL_QUEUE); more are refused at once. */
  modelQueue: number;
  /** Longest wait for a slot, ms (MODEL_QUEUE_MS); then the request is refused. */
  modelQueueMs: number;
  /** CSP frame-ancestors sources for the search page (FRAME_ANCESTORS). */
  frameAncestors: string[];
  /** onnxruntime threads of the model (MODEL_THREADS): the share of the cores embedding may take from everything else. */
  modelThreads: number;
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
    adminKey: adminKeyOf(env),
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
    limits: readLimits(env),
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

// --- Abuse limits (docs/security.md) ---

/** Shorter keys fall to guessing even when failures are slowed (OWASP: at least 128 bits). */
export const MIN_ADMIN_KEY_LENGTH = 16;

function adminKeyOf(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.ADMIN_KEY || undefined;
  if (key !== undefined && key.length < MIN_ADMIN_KEY_LENGTH) {
    throw new ConfigError('ADMIN_KEY', `ADMIN_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters (got ${key.length}); e.g. openssl rand -hex 24`);
  }
  return key;
}

/** A frame-ancestors source: 'self', 'none', or a scheme-and-host origin (host may start with *.). */
const FRAME_SOURCE = /^(?:'self'|'none'|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?)$/i;

function frameAncestorsOf(env: NodeJS.ProcessEnv): string[] {
  const raw = env.FRAME_ANCESTORS?.trim();
  if (!raw) return ["'self'"];
  const sources = raw.split(/[\s,]+/).filter(Boolean);
  const bad = sources.find((s) => !FRAME_SOURCE.test(s));
  if (bad !== undefined) throw new ConfigError('FRAME_ANCESTORS', `FRAME_ANCESTORS: ${JSON.stringify(bad)} is not 'self', 'none' or an origin like https://www.example.gov.cn`);
  if (sources.includes("'none'") && sources.length > 1) throw new ConfigError('FRAME_ANCESTORS', "FRAME_ANCESTORS: 'none' stands alone");
  return sources;
}

function readLimits(env: NodeJS.ProcessEnv): LimitsConfig {
  // One: the embedder infers one text at a time anyway (src/embed.ts), so more would only queue
  // inside it, where no bound applies (npm run bench -- --abuse, docs/benchmarks.md).
  const modelConcurrency = int(env, 'MODEL_CONCURRENCY', 1, 0, 1024);
  return {
    rateLimit: int(env, 'RATE_LIMIT', 600, 0, 1_000_000),
    modelRateLimit: int(env, 'MODEL_RATE_LIMIT', 60, 0, 1_000_000),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 16),
    modelConcurrency,
    modelQueue: int(env, 'MODEL_QUEUE', 2 * Math.max(1, modelConcurrency), 0, 100_000),
    modelQueueMs: int(env, 'MODEL_QUEUE_MS', 1000, 0, 600_000),
    frameAncestors: frameAncestorsOf(env),
    // Half the cores: with all of them, one embedding at a time already made keyword search 5-10×
    // slower on 2 cores (npm run bench -- --abuse); with half, under 2×.
    modelThreads: int(env, 'MODEL_THREADS', Math.max(1, Math.floor(availableParallelism() / 2)), 1, 1024),
  };
}
