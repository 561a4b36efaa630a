/**
 * The bench's "several nodes" section (`npm run bench -- --nodes 3`): N Meilisearch nodes on
 * loopback joined through MEILI_NETWORK, against one node with the same corpus, both indexed
 * through the product.
 *
 * Options (`NodesOptions`, all optional):
 * - `nodes` (3): how many Meilisearch nodes;
 * - `corpus` (`data/corpus`): files or folders to index, e.g. the bench's generated corpus;
 * - `terms`: more search terms, beyond test/data/keyword.public.json and a fixed set of others;
 * - `rounds` (3): how many times the query set is sent per concurrency for latency;
 * - `concurrency` ([1, 8]): in-flight requests for latency;
 * - `nodeDown` (true): stop one node, check every search answers 503 naming it, start it again
 *   and check the answers are equal again;
 * - `log`: progress lines (default stderr).
 *
 * `runNodes(options)` → `{ markdown, json }`: a markdown section for the report and its data.
 * It shows: index time on one node and on the network; how documents spread over the nodes; for
 * every query (public terms, others, filters, date sort, group=notice, pages): total, facet
 * counts and ranking equal to one node's; exactness on the network (precision, recall, counts);
 * latency at the API app (in process, so both sides pay the same) beside one node's; what a
 * stopped node answers.
 *
 * Alone: `npx tsx test/bench/nodes.ts [--nodes 3] [--corpus DIR]...` prints the markdown.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStack, ROOT, CORPUS, type Stack } from '../helpers/stack.ts';
import { compareSearch, comparisonUrls, startNodes, type Comparison } from '../helpers/nodes.ts';
import { allPassages, evaluateTerm } from '../eval/keyword.ts';
import type { NetworkEngine } from '../../src/engine/network.ts';
import { INDEX } from '../../src/settings.ts';

export interface NodesOptions {
  nodes?: number;
  corpus?: string[];
  terms?: string[];
  rounds?: number;
  concurrency?: number[];
  nodeDown?: boolean;
  log?: (message: string) => void;
}

export interface Latency {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

export interface NodesResult {
  nodes: number;
  corpus: string[];
  passages: number;
  notices: number;
  index: { singleSeconds: number; networkSeconds: number };
  /** Passages held by each node. */
  placement: Record<string, number>;
  comparisons: {
    queries: number;
    equal: number;
    /** Equal, but equally ranked hits in another order. */
    tiesReordered: number;
    mismatches: Comparison[];
  };
  exactness: Array<{ term: string; truth: number; total: number; precision: number; recall: number; countsEqual: boolean }>;
  latency: Array<{ concurrency: number; single: Latency; network: Latency }>;
  nodeDown: null | { node: string; queries: number; answered503NamingNode: number; other: string[]; recoveredEqual: boolean };
  ok: boolean;
}

const DEFAULTS = { nodes: 3, corpus: [CORPUS], terms: [] as string[], rounds: 3, concurrency: [1, 8], nodeDown: true, log: (m: string) => console.error(m) };

const OTHERS = ['医疗废弃物', '蓬溪县', '整改', '健康', '三张清单', '民主集中制', 'drg', 'icu', '2024年', '县卫生健康局党组', '巡察 整改 台账', '医共体 人才', '蓬'];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(stack: Stack, urls: string[], rounds: number, concurrency: number): Promise<Latency> {
  const queue: string[] = [];
  for (let r = 0; r < rounds; r++) queue.push(...urls);
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < queue.length) {
      const url = queue[next++]!;
      const t0 = performance.now();
      const { status } = await stack.call(url);
      if (status !== 200) throw new Error(`${url}: ${status}`);
      times.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { requests: times.length, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), p99: round(percentile(times, 99)), rps: Math.round(times.length / seconds) };
}

export async function runNodes(options: NodesOptions = {}): Promise<{ markdown: string; json: NodesResult }> {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as NodesOptions;
  const o = { ...DEFAULTS, ...given } satisfies Required<NodesOptions>;
  const spec = JSON.parse(readFileSync(`${ROOT}test/data/keyword.public.json`, 'utf8')) as { terms: string[]; synonyms: Record<string, string[]> };
  const terms = [...new Set([...spec.terms, ...OTHERS, ...o.terms])];

  o.log(`nodes: starting ${o.nodes} Meilisearch nodes on loopback`);
  const nodes = await startNodes(o.nodes);
  let single: Stack | undefined;
  let net: Stack | undefined;
  try {
    o.log('nodes: indexing on one node');
    single = await startStack({ corpus: o.corpus, index: false });
    const singleSummary = await single.services.start();
    o.log(`nodes: indexing through MEILI_NETWORK (${nodes.names.join(', ')})`);
    net = await startStack({ corpus: o.corpus, index: false, env: { MEILI_NETWORK: nodes.spec } });
    const netSummary = await net.services.start();

    const engine = net.runtime.engine as NetworkEngine;
    const placement: Record<string, number> = {};
    for (const name of nodes.names) {
      placement[name] = (await engine.node(name).index(INDEX.passages).stats())?.numberOfDocuments ?? 0;
    }

    o.log('nodes: comparing answers');
    const province = Object.keys((await single.call(`/api/search?q=${encodeURIComponent('整改')}&limit=1`)).body.facets.province ?? {})[0];
    const urls = comparisonUrls(terms, province);
    const comparisons: Comparison[] = [];
    for (const url of urls) comparisons.push(await compareSearch(single, net, url));
    const mismatches = comparisons.filter((c) => !c.equal);

    const passages = await allPassages(net);
    const exactness = [];
    for (const term of spec.terms) {
      const r = await evaluateTerm(net, passages, term, [[term, ...(spec.synonyms[term] ?? [])]]);
      exactness.push({ term, truth: r.truth, total: r.total, precision: r.precision, recall: r.recall, countsEqual: r.countsEqual });
    }

    o.log('nodes: latency');
    const latency = [];
    for (const c of o.concurrency) {
      // Warm both, then measure one after the other so they do not share the cores.
      await measure(single, urls, 1, c);
      await measure(net, urls, 1, c);
      latency.push({ concurrency: c, single: await measure(single, urls, o.rounds, c), network: await measure(net, urls, o.rounds, c) });
    }

    let nodeDown: NodesResult['nodeDown'] = null;
    if (o.nodeDown && o.nodes > 1) {
      const i = o.nodes - 1;
      const name = nodes.names[i]!;
      o.log(`nodes: stopping ${name}`);
      await nodes.stop(i);
      const other: string[] = [];
      let named = 0;
      const downUrls = urls.slice(0, 12);
      for (const url of downUrls) {
        const { status, body } = await net.call(url);
        const ok = status === 503 && body?.error?.code === 'ENGINE_NODES_UNAVAILABLE' && JSON.stringify(body.error.nodes) === JSON.stringify([name]) && body.total === undefined;
        if (ok) named++;
        else other.push(`${url}: ${status} ${JSON.stringify(body).slice(0, 200)}`);
      }
      o.log(`nodes: starting ${name} again`);
      await nodes.restart(i);
      const again = [];
      for (const url of downUrls) again.push(await compareSearch(single, net, url));
      nodeDown = { node: name, queries: downUrls.length, answered503NamingNode: named, other, recoveredEqual: again.every((c) => c.equal) };
    }

    const json: NodesResult = {
      nodes: o.nodes,
      corpus: o.corpus.map((c) => path.relative(ROOT, c) || '.'),
      passages: singleSummary.passages,
      notices: singleSummary.notices,
      index: { singleSeconds: round2(singleSummary.seconds), networkSeconds: round2(netSummary.seconds) },
      placement,
      comparisons: { queries: comparisons.length, equal: comparisons.length - mismatches.length, tiesReordered: comparisons.filter((c) => c.equal && !c.sameHits).length, mismatches },
      exactness,
      latency,
      nodeDown,
      ok: mismatches.length === 0 && exactness.every((e) => e.precision === 1 && e.recall === 1 && e.countsEqual) && (nodeDown === null || (nodeDown.answered503NamingNode === nodeDown.queries && nodeDown.recoveredEqual)),
    };
    return { markdown: toMarkdown(json), json };
  } finally {
    await Promise.all([single?.close(), net?.close()]);
    await nodes.close();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function toMarkdown(r: NodesResult): string {
  const lines: string[] = [];
  lines.push(`## Several nodes: ${r.nodes} Meilisearch nodes on loopback (MEILI_NETWORK) against one`, '');
  lines.push(`${r.passages} passages of ${r.notices} notices (${r.corpus.join(', ')}), indexed through the product: one node ${r.index.singleSeconds} s, network ${r.index.networkSeconds} s. Passages per node: ${Object.entries(r.placement).map(([n, c]) => `${n} ${c}`).join(', ')} (each notice with all its passages on one node).`, '');
  lines.push(`**Answers:** ${r.comparisons.equal} of ${r.comparisons.queries} searches (public and other terms; filters, date sort, group=notice, pages) have the same total, facet counts and ranking as one node${r.comparisons.tiesReordered ? `; in ${r.comparisons.tiesReordered} of them, hits with equal rank (same score, date and position) come in another order` : ''}.`);
  for (const m of r.comparisons.mismatches) lines.push(`- differs: \`${decodeURIComponent(m.url)}\` status ${m.status.join('/')}, total ${m.total.join(' (one node) / ')} (network)${m.facetMismatches.length ? `, facets ${m.facetMismatches.slice(0, 5).join('; ')}` : ''}${m.sameRanking ? '' : ', ranking differs'}`);
  const exact = r.exactness.filter((e) => e.precision === 1 && e.recall === 1 && e.countsEqual).length;
  lines.push('', `**Exactness on the network:** ${exact} of ${r.exactness.length} public terms with precision 1, recall 1 and total and facet counts equal to the truth.`, '');
  lines.push('**Latency** at the API app (in process; the same query set on both, sent one after the other), ms:', '');
  lines.push('| concurrency | one node p50 / p95 / p99 | req/s | network p50 / p95 / p99 | req/s | network / one node (p50) |');
  lines.push('|---|---|---|---|---|---|');
  for (const l of r.latency) {
    lines.push(`| ${l.concurrency} | ${l.single.p50} / ${l.single.p95} / ${l.single.p99} | ${l.single.rps} | ${l.network.p50} / ${l.network.p95} / ${l.network.p99} | ${l.network.rps} | ${(l.network.p50 / Math.max(l.single.p50, 0.1)).toFixed(2)}× |`);
  }
  if (r.nodeDown) {
    const d = r.nodeDown;
    lines.push('', `**A node stopped:** with ${d.node} down, ${d.answered503NamingNode} of ${d.queries} searches answered 503 \`ENGINE_NODES_UNAVAILABLE\` naming ${d.node} and no counts${d.other.length ? `; others: ${d.other.join('; ')}` : ''}. Started again: answers ${d.recoveredEqual ? 'equal to one node again' : 'NOT equal to one node'}.`);
  }
  lines.push('', `Result: ${r.ok ? 'pass' : 'FAIL'}.`, '');
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const corpus: string[] = [];
  let count = 3;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nodes') count = Number(args[++i]);
    else if (args[i] === '--corpus') corpus.push(args[++i]!);
  }
  const { markdown, json } = await runNodes({ nodes: count, corpus: corpus.length ? corpus : undefined });
  console.log(markdown);
  process.exitCode = json.ok ? 0 : 1;
}
