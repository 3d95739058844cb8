/**
 * Talks to the layout worker (layoutWorker.ts): starts it from a blob of its script (a webview
 * cannot start a worker from its resource URL), sends ELK graphs, and answers only the newest
 * request: a layout that an edit made stale is dropped.
 */
import type { ElkNode } from './elkGraph';

type Reply = { id: number; layout: ElkNode } | { id: number; error: string };

export class LayoutClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(l: ElkNode): void; reject(e: Error): void }>();

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.layout);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the layout worker failed: ${event.message || 'unknown error'}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
  }

  /** Starts the worker from `scriptUrl` (fetched, then run from a blob). */
  static async start(scriptUrl: string): Promise<LayoutClient> {
    const response = await fetch(scriptUrl);
    if (!response.ok) throw new Error(`could not load the layout script (${response.status})`);
    const blobUrl = URL.createObjectURL(await response.blob());
    try {
      return new LayoutClient(new Worker(blobUrl));
    } finally {
      URL.revokeObjectURL(blobUrl);
    }
  }

  /** Lays out `graph`; a request superseded by a newer one rejects with `stale`. */
  layout(graph: ElkNode): Promise<ElkNode> {
    const id = this.nextId++;
    for (const [old, waiter] of this.pending) {
      waiter.reject(new StaleLayout());
      this.pending.delete(old);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, graph });
    });
  }

  dispose(): void {
    this.worker.terminate();
    this.pending.clear();
  }
}

export class StaleLayout extends Error {
  constructor() {
    super('stale');
  }
}
