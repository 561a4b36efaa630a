/**
 * Index swaps on a network: on every node or on none. When a node cannot take the swap, the
 * nodes that took it swap back, so that no node is left serving the other build. (Across nodes
 * the swap is not one instant: for the few milliseconds between nodes, a search may see new on
 * one, old on another.)
 */
import type { Fanout } from './fanout.ts';
import { isDown } from './fanout.ts';
import type { CompositeTasks } from './tasks.ts';
import type { Engine, TaskRef } from './port.ts';

export async function swapEverywhere(
  engines: readonly Engine[],
  fanout: Fanout,
  tasks: CompositeTasks,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<TaskRef> {
  const settled = await Promise.allSettled(engines.map((e) => e.swap(pairs)));
  const took: Array<{ node: number; taskUid: number }> = [];
  const failed: Array<{ node: number; reason: unknown }> = [];
  settled.forEach((x, node) => {
    if (x.status === 'fulfilled') took.push({ node, taskUid: x.value.taskUid });
    else failed.push({ node, reason: x.reason });
  });
  if (failed.length === 0) return tasks.register(took);
  // Swapping the same pairs again undoes a swap.
  await fanout.on(took.map((t) => t.node), async (e, node) => {
    await e.wait(took.find((t) => t.node === node)!.taskUid);
    await e.wait(await e.swap(pairs));
  });
  const down = failed.filter((f) => isDown(f.reason)).map((f) => fanout.names[f.node]!);
  if (down.length) throw fanout.unavailable(down, 'did not take the index swap (the other nodes swapped back)');
  throw failed[0]!.reason;
}
