/**
 * The floor under any HTTP API written in Node.js on this machine: a bare node:http server that
 * forwards one of the captured raw engine requests over a keep-alive agent and answers with the
 * engine's bytes as they are — no query parsing, no highlighting, no JSON of its own.
 *
 * The bench loads it exactly like the API. pass-through / raw is what one more Node.js HTTP hop
 * costs here (on 2 cores shared by Meilisearch, the load generator and the hop); API /
 * pass-through is what the product's own work adds on top.
 *
 * Runs as its own process (so its CPU is not the bench's): `startPassthrough` spawns this file,
 * which reads the requests from the JSON file named by argv[2] and prints its port.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { LoadRequest } from './load.ts';

interface Spec {
  engine: string;
  key: string;
  requests: LoadRequest[];
}

function serve(spec: Spec): void {
  const engine = new URL(spec.engine);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const bodies = spec.requests.map((r) => (r.body === undefined ? undefined : Buffer.from(r.body)));
  const server = http.createServer((req, res) => {
    const i = Number((req.url ?? '/').slice(1));
    const r = spec.requests[i];
    if (!Number.isInteger(i) || !r) {
      res.writeHead(404).end();
      return;
    }
    const body = bodies[i];
    const up = http.request(
      {
        agent, host: engine.hostname, port: engine.port, method: r.method, path: r.path,
        headers: { authorization: `Bearer ${spec.key}`, ...(body ? { 'content-type': 'application/json', 'content-length': body.length } : {}) },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const out = Buffer.concat(chunks);
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': out.length }).end(out);
        });
      },
    );
    up.on('error', () => res.writeHead(502).end());
    up.end(body);
  });
  server.listen(0, '127.0.0.1', () => console.log((server.address() as AddressInfo).port));
  process.on('SIGTERM', () => process.exit(0));
}

export interface Passthrough {
  url: string;
  /** The pass-through requests standing for a workload's raw requests, in the same order. */
  requests(workload: string): LoadRequest[];
  stop(): void;
}

/** Starts the pass-through for every workload's raw requests (workload name → requests). */
export async function startPassthrough(engine: string, key: string, workloads: ReadonlyMap<string, readonly LoadRequest[]>, workDir: string): Promise<Passthrough> {
  const requests = [...workloads.values()].flat();
  const byWorkload = new Map<string, LoadRequest[]>();
  let next = 0;
  for (const [name, raw] of workloads) byWorkload.set(name, raw.map(() => ({ method: 'GET', path: `/${next++}` })));
  const file = path.join(workDir, 'passthrough-requests.json');
  writeFileSync(file, JSON.stringify({ engine, key, requests } satisfies Spec));
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the pass-through server exited with code ${code}`)));
    lines.once('line', (l) => resolve(Number(l)));
  });
  return { url: `http://127.0.0.1:${port}`, requests: (name) => byWorkload.get(name) ?? [], stop: () => child.kill('SIGTERM') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Spec);
}
