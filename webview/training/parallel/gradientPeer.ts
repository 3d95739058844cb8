/**
 * Data-parallel training, the peer's side. Each peer is a worker with its own copy of the model
 * and of the dataset; for every batch the training worker (the leader) sends it the model's
 * current weights and a share of the batch's samples, and the peer answers with the gradients of
 * that share (sliceGradients.ts: the loss scaled by the share, so the leader's sum of all shares
 * is the whole batch's gradient), flattened in `trainableWeights` order, with the share's loss and
 * metrics. The leader applies the sum once (peerGroup.ts). The peer never updates weights itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../../src/shared/messages';
import { installFusedRnn } from '../fusedRnn/fusedRnn';
import { disposeAccumulated, sliceGradients, trainableVariables } from '../sliceGradients';
import { normalizeLoss, normalizeMetric } from '../trainSettings';

/** Leader → peer: the weights to compute with (all of `model.getWeights()`, in order) and the samples. */
export interface GradientRequest {
  seq: number;
  weights: Float32Array[];
  indices: Int32Array;
  /** The samples' share of the batch. */
  weight: number;
}

/** Peer → leader: the weighted gradients (trainable weights in order, concatenated), loss and metrics. */
export type GradientReply =
  { seq: number; ok: true; grads: Float32Array; loss: number; metrics: number[] } | { seq: number; ok: false; message: string };

/** What the peer needs of a MessagePort (the browser's and Node's both have it). */
export interface PortLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

export class GradientPeer {
  private readonly optimizer: tf.Optimizer;
  private readonly variables: tf.Variable[];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly dataset: DatasetArrays,
    config: TrainConfig,
  ) {
    // The loss functions and metrics are the compiled ones, as on the leader; this optimizer never steps.
    this.optimizer = tf.train.sgd(0);
    model.compile({ optimizer: this.optimizer, loss: normalizeLoss(config.loss), metrics: config.metrics.map(normalizeMetric) });
    installFusedRnn(model);
    this.variables = trainableVariables(model);
  }

  compute(request: GradientRequest): GradientReply {
    const { seq } = request;
    try {
      this.setWeights(request.weights);
      const acc = sliceGradients(this.model, this.dataset, request.indices, request.weight, this.variables, null);
      try {
        const sizes = this.variables.map((v) => v.size);
        const grads = new Float32Array(sizes.reduce((a, b) => a + b, 0));
        let offset = 0;
        this.variables.forEach((v, i) => {
          // A variable the loss does not reach has no gradient: zeros, as tfjs's optimizers would see none.
          const grad = acc.grads[v.name];
          if (grad !== undefined) grads.set(grad.dataSync() as Float32Array, offset);
          offset += sizes[i]!;
        });
        const loss = acc.loss.dataSync()[0] ?? Number.NaN;
        const metrics = acc.metrics.map((m) => m.dataSync()[0] ?? Number.NaN);
        return { seq, ok: true, grads, loss, metrics };
      } finally {
        disposeAccumulated(acc);
      }
    } catch (error) {
      return { seq, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  dispose(): void {
    this.optimizer.dispose();
  }

  /** Assigned to the variables directly: the leader's values as they are (setWeights would apply constraints). */
  private setWeights(values: readonly Float32Array[]): void {
    const weights = this.model.weights;
    if (values.length !== weights.length) throw new Error(`expected ${weights.length} weights, got ${values.length}`);
    weights.forEach((w, i) => {
      const variable = w.read() as tf.Variable;
      const value = tf.tensor(values[i]!, variable.shape, 'float32');
      variable.assign(value);
      value.dispose();
    });
  }
}

/** Answers the leader's requests on `port` until it closes. */
export function servePeer(port: PortLike, peer: GradientPeer): void {
  port.onmessage = (event) => {
    const reply = peer.compute(event.data as GradientRequest);
    port.postMessage(reply, reply.ok ? [reply.grads.buffer as ArrayBuffer] : []);
  };
}
