/**
 * npm start: starts (or connects to) the engine, indexes the bundled corpus if the index is empty
 * or stale, and serves the API and the search page on PORT. Everything it says goes to the JSON
 * log on stdout (log.ts); SIGTERM or SIGINT drains the requests in flight (shutdown.ts), then
 * stops the engine.
 */
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../src/config.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { createApp } from './app.ts';
import { createServices } from './services.ts';
import { loadAssets } from './assets.ts';
import { answerParseErrors } from './errors.ts';
import { createLogger, type Logger } from './log.ts';
import { trackRequests } from './shutdown.ts';
import { scheduleBackups } from './backup-schedule.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { version: string }).version;
/** Index progress at start: a line at most this often. */
const PROGRESS_EVERY_MS = 5_000;

async function main(log: Logger): Promise<void> {
  const config = readConfig();
  log.level = config.logLevel;
  const runtime = await openRuntime(config, (m) => log.info({ component: 'runtime' }, m));
  const services = createServices(runtime, { corpus: [root + 'data/corpus'], version, log: (m) => log.warn({ component: 'services' }, m) });
  const app = createApp(services, { adminKey: config.adminKey, corsOrigins: config.corsOrigins, adminWaitMs: config.adminWaitMs, cache: { bytes: config.cacheBytes, maxAgeSeconds: config.cacheMaxAge }, limits: config.limits, assets: loadAssets(), logger: log });
  const server = serve({
    fetch: app.fetch,
    port: config.port,
    hostname: config.host,
    serverOptions: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.headersTimeoutMs,
      // How often node:http looks for requests over those timeouts (its default, 30 s, would let a slow client hold on that much longer).
      connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
    },
  }, (info) => {
    log.info({ port: info.port, url: `http://localhost:${info.port}/` }, `notice-search ${version} listening (searches answer once indexing is done)`);
  });
  if (!(server instanceof Server)) throw new Error('expected a node:http server');
  answerParseErrors(server, log);
  const drain = trackRequests(server);

  let stopping = false;
  // Scheduled once the first index run is done (SNAPSHOT_INTERVAL).
  let backups: { stop(): Promise<void> } = { stop: async () => {} };
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal, inFlight: drain.inFlight() }, 'second signal: cutting the requests still running');
      drain.cutNow();
      return;
    }
    stopping = true;
    log.info({ signal, inFlight: drain.inFlight(), graceMs: config.shutdownGraceMs }, 'stopping: no new connections, draining requests in flight');
    const { cut, ms } = await drain.close({ graceMs: config.shutdownGraceMs });
    await backups.stop();
    (cut > 0 ? log.warn.bind(log) : log.info.bind(log))({ cut, ms }, cut > 0 ? 'drain cut short at SHUTDOWN_GRACE_MS' : 'drained');
    await runtime.close();
    log.info('engine stopped; exiting');
    log.flush(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  let lastProgress = 0;
  const summary = await services
    .start((p) => {
      if (Date.now() - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = Date.now();
      log.info({ filesDone: p.filesDone, files: p.files, passages: p.passages }, 'indexing data/corpus and uploads');
    })
    .catch((e: unknown) => {
      // A shutdown during the first index run stops the engine under it: not a failed start.
      if (stopping) return undefined;
      throw e;
    });
  if (!summary) return;
  const { skipped, ...counts } = summary;
  for (const k of skipped) log.warn({ file: k.file, reason: k.reason }, 'file skipped');
  log.info({ ...counts, skipped: skipped.length }, 'ready: searchable');
  backups = scheduleBackups(services, { intervalSeconds: config.snapshotInterval, dir: config.backupDir, keep: config.backupKeep, log: (m) => log.info({ component: 'backup' }, m) });
}

const log = createLogger();
// A crash is logged as one more JSON line, not as Node's stack trace on stderr.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (e: unknown) => {
    log.fatal({ err: e }, event);
    log.flush(() => process.exit(1));
  });
}
main(log).catch((e: Error & { code?: string }) => {
  log.fatal({ err: e, code: e.code }, `start failed${e.code ? ` (${e.code})` : ''}: ${e.message}`);
  log.flush(() => process.exit(1));
});
