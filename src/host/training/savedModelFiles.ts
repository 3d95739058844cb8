/**
 * The trained model as files: `model.json` (tfjs layers format) whose weightsManifest points at
 * one `weights.bin`, and the weight bytes, checked against the manifest. Accepts what the panel
 * sends: a model.json (its manifest paths are rewritten) or save artifacts with `weightSpecs`.
 * Pure: no `vscode`, no I/O.
 */

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function specBytes(spec: WeightSpec): number {
  const per = BYTES[spec.quantization?.dtype ?? spec.dtype] ?? 4;
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

export interface ModelFiles {
  modelJson: string;
  weights: Uint8Array;
}

/**
 * Rewrites the manifest to a single `weights.bin` group (the panel sends all weights as one
 * buffer, in manifest order) and checks the byte count. Throws a user-facing message otherwise.
 */
export function prepareModelFiles(modelJson: string, weightData: ArrayBuffer): ModelFiles {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(modelJson) as Record<string, unknown>;
  } catch {
    throw new Error('The panel sent a model that is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new Error('The panel sent a model without a modelTopology.');
  }
  let specs: WeightSpec[];
  if (Array.isArray(parsed.weightsManifest)) {
    specs = (parsed.weightsManifest as { weights?: WeightSpec[] }[]).flatMap((group) => group.weights ?? []);
  } else if (Array.isArray(parsed.weightSpecs)) {
    specs = parsed.weightSpecs as WeightSpec[];
  } else {
    throw new Error('The panel sent a model without weight specifications.');
  }
  const expected = specs.reduce((sum, spec) => sum + specBytes(spec), 0);
  if (expected !== weightData.byteLength) {
    throw new Error(`The model's weights should take ${expected} bytes, but the panel sent ${weightData.byteLength}.`);
  }
  const out: Record<string, unknown> = {
    format: parsed.format ?? 'layers-model',
    generatedBy: parsed.generatedBy ?? 'Model Lens',
    convertedBy: parsed.convertedBy ?? null,
    modelTopology: parsed.modelTopology,
  };
  if (parsed.trainingConfig !== undefined) out.trainingConfig = parsed.trainingConfig;
  if (parsed.userDefinedMetadata !== undefined) out.userDefinedMetadata = parsed.userDefinedMetadata;
  out.weightsManifest = [{ paths: [WEIGHTS_BIN], weights: specs }];
  return { modelJson: JSON.stringify(out), weights: new Uint8Array(weightData) };
}

/** `trained/<name>` with characters unsafe in folder names replaced. */
/** `trained/<model>`, or `<parent>/<model>` under the folder the user saved to last time. */
export function defaultExportFolder(modelName: string, lastParent = 'trained'): string {
  const safe = modelName.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'model';
  return `${lastParent}/${safe}`;
}

/** The folder above a saved model's own (`models/mnist` → `models`), remembered for the next save. */
export function exportParent(relativeDir: string): string {
  const parts = relativeDir.split('/').filter(Boolean);
  return parts.length > 1 ? parts.slice(0, -1).join('/') : '.';
}
