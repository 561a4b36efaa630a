/**
 * npm start: starts (or connects to) the engine, indexes the bundled corpus if the index is empty
 * or stale, and serves the API and the search page on PORT.
 */
import { serve } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../src/config.ts';
import { createProgressBar, formatSummary } from '../indexer/progress.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { createApp } from './app.ts';
import { createServices } from './services.ts';
import { loadAssets } from './assets.ts';
import { answerParseErrors } from './errors.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (JSON.parse(readFileSync(root + 'package.json', 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const config = readConfig();
  const runtime = await openRuntime(config, undefined, { progress: true });
  const services = createServices(runtime, { corpus: [root + 'data/corpus'], version });
  const app = createApp(services, { adminKey: config.adminKey, corsOrigins: config.corsOrigins, limits: config.limits, assets: loadAssets() });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.error(`notice-search ${version} listening on http://localhost:${info.port} (searches answer once indexing is done)`);
  });
  answerParseErrors(server);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const bar = createProgressBar('indexing data/corpus');
  const summary = await services.start((p) => bar.update(p.filesDone, p.files, `${p.passages} passages`));
  bar.done(formatSummary(summary));
  console.error(`ready: http://localhost:${config.port}/`);
}

main().catch((e: Error & { code?: string }) => {
  console.error(`start failed${e.code ? ` (${e.code})` : ''}: ${e.message}`);
  process.exit(1);
});
