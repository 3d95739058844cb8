/**
 * Data-parallel training, the leader's side: the peers (gradientPeer.ts) it sends each batch's
 * shares to over MessagePorts, and how a batch is shared out. The Trainer computes the first share
 * itself while the peers compute theirs, adds their gradients to its own and applies the sum once:
 * the update one worker would make from the whole batch, to float rounding (dropout draws differ).
 */
import * as tf from '@tensorflow/tfjs';
import type { Accumulated } from '../sliceGradients';
import type { GradientReply, GradientRequest, PortLike } from './gradientPeer';

/** One share's answer: weighted gradients (trainable weights in order, concatenated), loss and metrics. */
export interface PeerResult {
  grads: Float32Array;
  loss: number;
  metrics: number[];
}

/** The peers as the Trainer sees them. */
export interface GradientPeers {
  readonly count: number;
  /** The gradients of `shares[i]` on peer i with the model's weights `weights`; rejects when a peer fails. */
  compute(shares: ReadonlyArray<{ indices: Int32Array; weight: number }>, weights: Float32Array[]): Promise<PeerResult[]>;
  dispose(): void;
}

/** Fewer samples than this per share cost more in per-op overhead than a second core gains. */
export const MIN_SHARE = 4;

/** How many workers share a batch of `size` samples with `peers` peers available (1: no sharing). */
export function workersFor(size: number, peers: number): number {
  return Math.max(1, Math.min(peers + 1, Math.floor(size / MIN_SHARE)));
}

/** `indices` cut into `parts` consecutive shares whose sizes differ by at most one. */
export function shareOut(indices: Int32Array, parts: number): Int32Array[] {
  const base = Math.floor(indices.length / parts);
  const extra = indices.length % parts;
  const shares: Int32Array[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    // A copy: a view would carry the whole epoch's order across the port.
    shares.push(indices.slice(start, end));
    start = end;
  }
  return shares;
}

/** The peers' gradients, loss and metrics added to the leader's own (a new Accumulated; `acc` stays the caller's). */
export function addPeerResults(acc: Accumulated, results: readonly PeerResult[], variables: readonly tf.Variable[]): Accumulated {
  return tf.tidy(() => {
    const grads: tf.NamedTensorMap = {};
    let offset = 0;
    for (const variable of variables) {
      const size = variable.size;
      let sum: tf.Tensor | undefined = acc.grads[variable.name];
      for (const result of results) {
        const part = tf.tensor(result.grads.subarray(offset, offset + size), variable.shape, 'float32');
        sum = sum === undefined ? part : tf.add(sum, part);
      }
      if (sum !== undefined) grads[variable.name] = sum === acc.grads[variable.name] ? tf.clone(sum) : sum;
      offset += size;
    }
    const total = (own: tf.Scalar, values: number[]): tf.Scalar => tf.add(own, tf.scalar(values.reduce((a, b) => a + b, 0)));
    return {
      grads,
      loss: total(
        acc.loss,
        results.map((r) => r.loss),
      ),
      metrics: acc.metrics.map((m, i) =>
        total(
          m,
          results.map((r) => r.metrics[i] ?? Number.NaN),
        ),
      ),
    };
  });
}

/** Peers reached over MessagePorts, one request in flight per peer. */
export class PortPeers implements GradientPeers {
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: PeerResult) => void; reject: (e: Error) => void }>();
  private closed = false;

  constructor(private readonly ports: readonly PortLike[]) {
    ports.forEach((port, i) => {
      port.onmessage = (event) => this.answer(i, event.data as GradientReply);
    });
  }

  get count(): number {
    return this.ports.length;
  }

  compute(shares: ReadonlyArray<{ indices: Int32Array; weight: number }>, weights: Float32Array[]): Promise<PeerResult[]> {
    if (this.closed) return Promise.reject(new Error('the gradient workers were closed'));
    const seq = ++this.seq;
    return Promise.all(
      shares.map(
        (share, i) =>
          new Promise<PeerResult>((resolve, reject) => {
            this.pending.set(key(seq, i), { resolve, reject });
            const request: GradientRequest = { seq, weights, indices: share.indices, weight: share.weight };
            this.ports[i]!.postMessage(request);
          }),
      ),
    );
  }

  dispose(): void {
    this.closed = true;
    for (const port of this.ports) {
      port.onmessage = null;
      port.close();
    }
    for (const waiter of this.pending.values()) waiter.reject(new Error('the gradient workers were closed'));
    this.pending.clear();
  }

  private answer(peer: number, reply: GradientReply): void {
    const waiter = this.pending.get(key(reply.seq, peer));
    if (waiter === undefined) return;
    this.pending.delete(key(reply.seq, peer));
    if (reply.ok) waiter.resolve({ grads: reply.grads, loss: reply.loss, metrics: reply.metrics });
    else waiter.reject(new Error(`a gradient worker failed: ${reply.message}`));
  }
}

const key = (seq: number, peer: number): number => seq * 1024 + peer;
