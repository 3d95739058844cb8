/**
 * The trained model in the tfjs layers format: `model.save` with a handler that keeps the
 * artifacts, turned into a model.json (weightsManifest → one `weights.bin`) and one ArrayBuffer
 * of all weights in manifest order.
 */
import * as tf from '@tensorflow/tfjs';

export interface ExportedModel {
  modelJson: string;
  weightData: ArrayBuffer;
}

export async function exportModel(model: tf.LayersModel): Promise<ExportedModel> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (artifacts === null) throw new Error('tfjs produced no model artifacts');
  const weightData =
    artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return { modelJson: JSON.stringify(json), weightData };
}
