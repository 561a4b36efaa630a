/**
 * Task ids of a network engine: one write sent to several nodes enqueues one task on each, and
 * the caller gets one composite id standing for all of them. Waiting for it waits for every part
 * and then forgets the id (a composite task is waited for once).
 */
import { EngineError } from './client.ts';
import type { Fanout } from './fanout.ts';
import type { Engine, TaskRef, TaskStatus } from './port.ts';

/** One node's task within a composite task. */
export interface Part {
  node: number;
  taskUid: number;
}

/** Composite task ids are counted from here, far above any node's own task ids. */
const TASK_BASE = 2 ** 40;
/** Tasks nobody waits for must not pile up: the oldest are forgotten past this many. */
const MAX_PENDING = 10_000;

export interface CompositeTasks {
  /** A composite id for tasks already enqueued on some nodes. */
  register(parts: readonly Part[]): TaskRef;
  /** Sends a write to the given nodes and registers their tasks as one. */
  enqueue(which: readonly number[], send: (engine: Engine, node: number) => Promise<TaskRef>): Promise<TaskRef>;
  wait(task: TaskRef | number, timeoutMs?: number): Promise<TaskStatus>;
}

export function createCompositeTasks(fanout: Fanout): CompositeTasks {
  const pending = new Map<number, readonly Part[]>();
  let next = TASK_BASE;

  function register(parts: readonly Part[]): TaskRef {
    const uid = next++;
    pending.set(uid, parts);
    if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value!);
    return { taskUid: uid };
  }

  async function enqueue(which: readonly number[], send: (engine: Engine, node: number) => Promise<TaskRef>): Promise<TaskRef> {
    const parts = await fanout.on(which, async (e, node) => ({ node, taskUid: (await send(e, node)).taskUid }));
    return register(parts);
  }

  async function wait(task: TaskRef | number, timeoutMs?: number): Promise<TaskStatus> {
    const uid = typeof task === 'number' ? task : task.taskUid;
    const parts = pending.get(uid);
    if (!parts) throw new EngineError('ENGINE_REJECTED', `task ${uid} was not enqueued through this network engine (or was already waited for)`, 404);
    const byNode = new Map(parts.map((p) => [p.node, p.taskUid]));
    const statuses = await fanout.on(parts.map((p) => p.node), (e, node) =>
      e.wait(byNode.get(node)!, timeoutMs).catch((err: unknown) => {
        if (err instanceof EngineError && err.code === 'ENGINE_TASK_FAILED') {
          throw new EngineError('ENGINE_TASK_FAILED', `node ${fanout.names[node]}: ${err.message}`, err.engineStatus, err.engineCode);
        }
        throw err;
      }),
    );
    pending.delete(uid);
    return statuses[0] ?? { uid, status: 'succeeded', type: 'none' };
  }

  return { register, enqueue, wait };
}
