/**
 * An imported target: a TensorFlow.js Layers model saved as model.json (topology + weights manifest)
 * and its weight files beside it, the format `model.save('file://…')` and mia's cache (serialize.ts,
 * run/codec.ts) write. model.json and every weight file its manifest names are read from disk (no
 * fetch, no tfjs-node) and handed to loadLayersModel through serialize.ts's in-memory IOHandler; the
 * model is checked against the dataset it will be queried on: the input shape of one record and the
 * number of outputs (one per class).
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError, modelOutput, readModelBytes } from './model-file.js';
import { logitsTopology, type ModelOutput } from './model-output.js';
import { loadArtifacts, type ModelArtifacts } from './serialize.js';

export { ModelFileError };

/**
 * model.json and its weight files, read once (model-file.ts: inside the model's folder, sizes checked
 * before reading) into the artifacts loadLayersModel takes, with the hash of exactly those bytes. The
 * topology is made to output logits (model-output.ts): a final softmax becomes linear.
 */
export function readModelFiles(path: string, declared?: ModelOutput): ModelArtifacts & { hash: string } {
  const files = readModelBytes(path);
  const output = modelOutput(path, files.json.modelTopology, declared);
  const weightData = tf.io.concatenateArrayBuffers(
    files.weights.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer),
  );
  return {
    modelTopology: logitsTopology(files.json.modelTopology as object, output),
    weightSpecs: files.weightSpecs as tf.io.WeightsManifestEntry[],
    weightData,
    hash: files.hash,
  };
}

/** Builds the model of read artifacts; what TensorFlow.js refuses is a ModelFileError naming the file. */
export async function buildImportedModel(path: string, artifacts: ModelArtifacts): Promise<tfl.LayersModel> {
  try {
    return await loadArtifacts(artifacts);
  } catch (e) {
    throw new ModelFileError(path, `TensorFlow.js cannot build the model: ${(e as Error).message}`);
  }
}

/** Loads a Layers model (giving logits) from model.json and the weight files beside it. */
export async function loadImportedModel(path: string, declared?: ModelOutput): Promise<tfl.LayersModel> {
  return buildImportedModel(path, readModelFiles(path, declared));
}

/**
 * Checks that the model takes records of the dataset's shape and has one output per class; throws a
 * ModelFileError saying which does not fit. A flat input of the same size does not fit an image (the
 * model would need a reshape layer): shapes must match exactly.
 */
export function checkModelFits(model: tfl.LayersModel, data: { shape: number[]; classes: number }, file: string): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1)
    throw new ModelFileError(
      file,
      `The model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; mia queries models with one of each.`,
    );
  const input = model.inputs[0]!.shape.slice(1);
  const output = model.outputs[0]!.shape.slice(1);
  const fits = input.length === data.shape.length && input.every((d, i) => d === null || d === data.shape[i]);
  if (!fits)
    throw new ModelFileError(
      file,
      `The model takes inputs of shape [${input.map((d) => d ?? '?').join(', ')}] but the data's records have shape [${data.shape.join(', ')}].` +
        ' Query it with data of the shape it was trained on.',
    );
  if (output.length !== 1 || output[0] !== data.classes)
    throw new ModelFileError(
      file,
      `The model has ${output.length === 1 ? `${output[0]} outputs` : `outputs of shape [${output.join(', ')}]`} but the data has ${data.classes} classes; it needs one output per class.`,
    );
}

/** Loads model.json and checks it fits the data (both as above): what an `imported("model.json")` target needs. */
export async function loadImportedTarget(
  path: string,
  data: { shape: number[]; classes: number },
  declared?: ModelOutput,
): Promise<tfl.LayersModel> {
  const model = await loadImportedModel(path, declared);
  checkModelFits(model, data, path);
  return model;
}
