/** Models as plain data (tfjs format: topology JSON, weight specs, one weight buffer), for the cache and workers. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// The layer kinds register their own tfjs classes (gaussian_noise's seeded layer) for loading.
import './layers/index.js';
import { LOG_PROBABILITIES_CLASS } from './model-output.js';

export interface ModelArtifacts {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export async function saveArtifacts(model: tfl.LayersModel): Promise<ModelArtifacts> {
  let saved: ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const buf =
        data === undefined ? new ArrayBuffer(0) : Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
      saved = { modelTopology: a.modelTopology as object, weightSpecs: a.weightSpecs ?? [], weightData: buf };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('Saving the model produced no artifacts.');
  return saved;
}

export async function loadArtifacts(a: ModelArtifacts): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }),
  );
}

/** log(max(p, 1e-30)): an imported model's probabilities as logits (model-output.ts appends it). */
class LogProbabilities extends tfl.layers.Layer {
  static readonly className = LOG_PROBABILITIES_CLASS;
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => tf.log(tf.maximum(x, 1e-30)));
  }
}
tf.serialization.registerClass(LogProbabilities);
