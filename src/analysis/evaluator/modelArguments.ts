/**
 * The arguments of `tf.model({ inputs, outputs })` and `tf.input({ shape })` as tfjs reads
 * them: the tensors and the shape when they are known, else what to report and why the model
 * is incomplete. Pure: the bridge reports and builds.
 */
import { UnknownValue } from '../layers/layerSpec';
import { LayerInstance, SymTensor } from '../graph/layerGraph';
import { ModelBuilder, sourceInputs } from '../graph/modelBuilder';
import type { Shape } from '../types';
import { isPlainObject, unknown } from './values';
import type { Value } from './values';

/** Why a value's contents are not known, if they are not (TfjsBridge.uncertainOf). */
type UncertainOf = (v: Value) => string | undefined;

/** A problem with a model's or an input's arguments: what to report, and why the result is incomplete. */
export interface ArgumentProblem {
  report?: { severity: 'error' | 'info'; message: string };
  /** The model is incomplete for this reason. */
  incomplete?: string;
}

/** `tf.model`'s inputs and outputs, or the problem with them. */
export function functionalTensors(
  cfg: Value,
  uncertainOf: UncertainOf,
  taintOf: UncertainOf,
): { inputs: SymTensor[]; outputs: SymTensor[] } | ArgumentProblem {
  const list = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);
  if (!isPlainObject(cfg) || uncertainOf(cfg) !== undefined) {
    return {
      report: { severity: 'info', message: 'The inputs and outputs of this model are not known statically.' },
      incomplete: 'its inputs and outputs are not known statically',
    };
  }
  const inputs = list(cfg['inputs']);
  const outputs = list(cfg['outputs']);
  const listTaint = taintOf(cfg['inputs']) ?? taintOf(cfg['outputs']);
  const bad = listTaint !== undefined ? unknown(listTaint) : [...inputs, ...outputs].find((t) => !(t instanceof SymTensor));
  if (bad !== undefined) {
    if (bad instanceof UnknownValue) {
      return {
        report: { severity: 'info', message: `The shapes of this model are not known statically: ${bad.reason}.` },
        incomplete: `its inputs or outputs are not known statically: ${bad.reason}`,
      };
    }
    if (
      bad === null ||
      typeof bad !== 'object' ||
      isPlainObject(bad) ||
      bad instanceof LayerInstance ||
      bad instanceof ModelBuilder
    ) {
      return {
        report: {
          severity: 'error',
          message: '`tf.model` needs `inputs` and `outputs` that are symbolic tensors (from `tf.input()` and `layer.apply()`).',
        },
        incomplete: 'its inputs or outputs are not tensors',
      };
    }
    return { incomplete: 'its inputs or outputs are not known statically' };
  }
  const ins = inputs as SymTensor[];
  const outs = outputs as SymTensor[];
  const notInput = ins.find((t) => t.node.inputs.length !== 0);
  if (notInput) {
    return {
      report: {
        severity: 'error',
        message: `The inputs of a model must come straight from \`tf.input()\`; \`${notInput.node.layer.name}\`'s output is not an Input tensor.`,
      },
    };
  }
  for (const out of outs) {
    const missing = sourceInputs(out).find((src) => !ins.includes(src));
    if (missing) {
      return {
        report: {
          severity: 'error',
          message: `Graph disconnected: the outputs depend on the input \`${missing.node.layer.name}\`, which is not in this model's \`inputs\`.`,
        },
      };
    }
  }
  return { inputs: ins, outputs: outs };
}

/** `tf.input`'s batch shape, or why it is not known (with what to report, if anything). */
export function inputBatchShape(
  cfg: Value,
  uncertainOf: UncertainOf,
): { shape: Shape } | { reason: string; report?: ArgumentProblem['report'] } {
  const c = isPlainObject(cfg) ? cfg : {};
  const unsure = uncertainOf(cfg) ?? uncertainOf(c['batchShape'] ?? c['shape']);
  if (unsure !== undefined) return { reason: `the input shape is not known statically: ${unsure}` };
  const shapeVal = c['batchShape'] ?? c['shape'];
  if (shapeVal === undefined || shapeVal === null) {
    if (cfg instanceof UnknownValue) return { reason: cfg.reason };
    return {
      reason: 'the input has no shape',
      report: {
        severity: 'error',
        message: '`tf.input` needs a `shape` (e.g. `{ shape: [784] }`, without the batch dimension) or a `batchShape`.',
      },
    };
  }
  const dims = Array.isArray(shapeVal) ? shapeVal : null;
  const bad = dims === null ? shapeVal : dims.find((d) => !(d === null || typeof d === 'number'));
  if (bad !== undefined) {
    const reason =
      bad instanceof UnknownValue
        ? `the input shape is not known statically: ${bad.reason}`
        : 'the input shape is not a list of numbers';
    return { reason, report: { severity: 'info', message: `Shapes of this model are not known statically: ${reason}.` } };
  }
  const shape = dims as Shape;
  return { shape: c['batchShape'] != null ? shape : [null, ...shape] };
}
