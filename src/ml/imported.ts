/**
 * An imported target: a TensorFlow.js Layers model saved as model.json (topology + weights manifest)
 * and its weight files beside it, the format `model.save('file://…')` and mia's cache (serialize.ts,
 * run/codec.ts) write. model.json and every weight file its manifest names are read from disk (no
 * fetch, no tfjs-node) and handed to loadLayersModel through serialize.ts's in-memory IOHandler; the
 * model is checked against the dataset it will be queried on: the input shape of one record and the
 * number of outputs (one per class).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadArtifacts } from './serialize.js';

import { ModelFileError } from './model-file.js';

export { ModelFileError };

interface ModelJson {
  modelTopology?: object;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

function readJson(path: string): ModelJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ModelFileError(path, 'The model file does not exist or cannot be read; give the path of its model.json.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(path, `The model file is not JSON (${(e as Error).message}).`);
  }
  const m = json as ModelJson;
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof m.modelTopology !== 'object' ||
    !Array.isArray(m.weightsManifest)
  )
    throw new ModelFileError(
      path,
      'This is not a TensorFlow.js Layers model (model.json needs "modelTopology" and "weightsManifest"). Save it with' +
        ' model.save(), or convert a Keras model with tensorflowjs_converter --output_format tfjs_layers_model.',
    );
  return m;
}

/** model.json and its weight files, read into memory: the artifacts loadLayersModel takes. */
export function readModelFiles(path: string): {
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
} {
  const m = readJson(path);
  const specs = m.weightsManifest!.flatMap((g) => g.weights);
  const parts = m.weightsManifest!.flatMap((g) =>
    g.paths.map((p) => {
      const file = join(dirname(path), p);
      try {
        const b = readFileSync(file);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      } catch {
        throw new ModelFileError(path, `The weight file "${p}" it names is missing (looked for ${file}).`);
      }
    }),
  );
  const weightData = tf.io.concatenateArrayBuffers(parts);
  const bytes = (dtype: string | undefined): number =>
    dtype === 'int32' || dtype === 'float32' || dtype === undefined ? 4 : 1;
  const need = specs.reduce(
    (a, s) => a + (s.quantization ? 0 : s.shape.reduce((x, y) => x * y, 1) * bytes(s.dtype)),
    0,
  );
  if (!specs.some((s) => s.quantization) && need !== weightData.byteLength)
    throw new ModelFileError(
      path,
      `The weights manifest needs ${need} bytes of weights but the weight files hold ${weightData.byteLength}; are they from another model?`,
    );
  return { modelTopology: m.modelTopology!, weightSpecs: specs, weightData };
}

/** Loads a Layers model from model.json and the weight files beside it. */
export async function loadImportedModel(path: string): Promise<tfl.LayersModel> {
  const artifacts = readModelFiles(path);
  try {
    return await loadArtifacts(artifacts);
  } catch (e) {
    throw new ModelFileError(path, `TensorFlow.js cannot build the model: ${(e as Error).message}`);
  }
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
): Promise<tfl.LayersModel> {
  const model = await loadImportedModel(path);
  checkModelFits(model, data, path);
  return model;
}
