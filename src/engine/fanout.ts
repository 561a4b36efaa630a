/**
 * A request sent to several nodes at once, answered whole or not at all: when a node does not
 * answer, the request fails with a `NetworkError` naming every node that did not (never a
 * partial answer presented as complete).
 */
import { EngineError } from './client.ts';
import type { Engine } from './port.ts';

/** Some nodes did not answer: no answer is given rather than a partial one. */
export class NetworkError extends EngineError {
  constructor(
    /** Names of the nodes that did not answer. */
    readonly nodes: string[],
    message: string,
  ) {
    super('ENGINE_NODES_UNAVAILABLE', message);
    this.name = 'NetworkError';
  }

  override details(): Record<string, unknown> {
    return { nodes: this.nodes };
  }
}

/** Whether an error means a node did not answer (as opposed to refusing the request). */
export function isDown(e: unknown): boolean {
  return e instanceof NetworkError || (e instanceof EngineError && e.code === 'ENGINE_UNAVAILABLE');
}

export interface Fanout {
  readonly names: readonly string[];
  /** Every node's index. */
  readonly every: readonly number[];
  /** Runs `job` on the given nodes; throws NetworkError naming every node that did not answer. */
  on<T>(which: readonly number[], job: (engine: Engine, node: number) => Promise<T>): Promise<T[]>;
  /** `on` every node. */
  all<T>(job: (engine: Engine, node: number) => Promise<T>): Promise<T[]>;
  /** The error (logged) for nodes that did not answer. */
  unavailable(down: readonly string[], detail?: string): NetworkError;
}

export function createFanout(nodes: ReadonlyArray<{ name: string; url: string }>, engines: readonly Engine[], log: (m: string) => void): Fanout {
  const names = nodes.map((n) => n.name);
  const every = names.map((_, i) => i);

  function unavailable(down: readonly string[], detail = 'did not answer'): NetworkError {
    const list = down.map((n) => `${n} (${nodes[names.indexOf(n)]?.url ?? '?'})`).join(', ');
    const several = down.length > 1;
    log(`meilisearch network: node${several ? 's' : ''} ${list} ${detail}`);
    return new NetworkError(
      [...down],
      `search engine node${several ? 's' : ''} ${down.join(', ')} ${detail}; results without ${several ? 'them' : 'it'} would be incomplete, so none are given; try again shortly`,
    );
  }

  async function on<T>(which: readonly number[], job: (engine: Engine, node: number) => Promise<T>): Promise<T[]> {
    const settled = await Promise.allSettled(which.map((i) => job(engines[i]!, i)));
    const down: string[] = [];
    let rejected: unknown;
    const values: T[] = [];
    settled.forEach((s, k) => {
      if (s.status === 'fulfilled') {
        values.push(s.value);
        return;
      }
      const e = s.reason;
      if (e instanceof NetworkError) down.push(...e.nodes);
      else if (isDown(e)) down.push(names[which[k]!]!);
      else rejected ??= e;
    });
    if (down.length) throw unavailable([...new Set(down)]);
    if (rejected) throw rejected;
    return values;
  }

  return { names, every, on, all: (job) => on(every, job), unavailable };
}
