/**
 * A TensorFlow.js Layers model file (model.json and the weight files its manifest names), read as an
 * imported target's: only files inside its folder, sizes checked before reading (ml/model-file.ts); its
 * final softmax or sigmoid is taken off, so it gives logits like mia's own models.
 */
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { queryLogits } from '../../ml/index.js';
import { buildImportedModel, ModelFileError, readModelFiles } from '../../ml/imported.js';
import { UserError } from '../../pipeline/index.js';
import { holds, isFile, type ModelSource, type ServedModel } from './served.js';

/** A loaded Layers model as a served one: its input shape and classes read from the model itself. */
export function servedLayers(model: tfl.LayersModel, describe: string, file: string): ServedModel {
  const input = model.inputs[0]?.shape.slice(1) ?? [];
  const output = model.outputs[0]?.shape.slice(1) ?? [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || output.length !== 1 || !output[0])
    throw new UserError(`${file}: mia serve serves models with one input and one output of one value per class.`);
  if (input.length === 0 || input.some((d) => d === null))
    throw new UserError(
      `${file}: the model's input shape [${input.map((d) => d ?? '?').join(', ')}] is not fixed, so requests cannot be checked against it.`,
    );
  const shape = input as number[];
  const classes = output[0];
  return {
    describe,
    shape,
    classes,
    logits: (x, n) => queryLogits(model, x, n, shape, classes),
    dispose: () => model.dispose(),
  };
}

export const tfjsFileSource: ModelSource = {
  name: 'tfjs',
  looksLike: 'a TensorFlow.js model.json (or its folder)',
  accepts: (path) => (isFile(path) && path.endsWith('.json')) || holds(path, 'model.json'),
  async load(path) {
    const file = isFile(path) ? path : join(path, 'model.json');
    try {
      const model = await buildImportedModel(file, readModelFiles(file));
      return servedLayers(model, `the model ${file}`, file);
    } catch (e) {
      if (e instanceof ModelFileError) throw new UserError(e.message);
      throw e;
    }
  },
};
