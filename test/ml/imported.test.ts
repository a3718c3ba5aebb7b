import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeOutput } from '../../src/run/codec.js';
import {
  buildModel,
  checkModelFits,
  initBackend,
  loadImportedModel,
  loadImportedTarget,
  ModelFileError,
  queryLogits,
  saveArtifacts,
} from '../../src/ml/index.js';
import { tempDir } from '../data/formats/helpers.js';

async function rejects(p: Promise<unknown>): Promise<ModelFileError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error('expected a ModelFileError');
}

describe('imported target models (model.json + weights)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const tiny = () =>
    buildModel({
      layers: [
        { kind: 'dense', units: 8, activation: 'relu' },
        { kind: 'dense', units: 'classes', activation: 'softmax' },
      ],
      inputShape: [5],
      classes: 3,
      seed: 4,
    });
  const x = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));

  it("loads the files mia's cache writes, and weights split over several files, giving the same outputs", async () => {
    const model = tiny();
    const artifacts = await saveArtifacts(model);
    const dir = tempDir();
    for (const [name, bytes] of encodeOutput(artifacts).files) {
      const path = join(dir, name.replace('model-0/', ''));
      writeFileSync(path, bytes);
    }
    const loaded = await loadImportedModel(join(dir, 'model.json'));
    expect(Array.from(queryLogits(loaded, x, 4, [5], 3))).toEqual(Array.from(queryLogits(model, x, 4, [5], 3)));
  });

  it('reads a model.json naming two weight shards', async () => {
    const model = tiny();
    const a = await saveArtifacts(model);
    const dir = tempDir();
    const w = new Uint8Array(a.weightData);
    const cut = 40;
    writeFileSync(join(dir, 'group1-shard1of2.bin'), w.subarray(0, cut));
    writeFileSync(join(dir, 'group1-shard2of2.bin'), w.subarray(cut));
    const manifest = [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs }];
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: manifest }),
    );
    const loaded = await loadImportedModel(join(dir, 'model.json'));
    expect(Array.from(queryLogits(loaded, x, 4, [5], 3))).toEqual(Array.from(queryLogits(model, x, 4, [5], 3)));
    checkModelFits(loaded, { shape: [5], classes: 3 }, 'model.json');
    expect(() => checkModelFits(loaded, { shape: [28, 28, 1], classes: 3 }, 'model.json')).toThrow(
      /takes inputs of shape \[5\] but the data's records have shape \[28, 28, 1\]/,
    );
    expect(() => checkModelFits(loaded, { shape: [6], classes: 3 }, 'm')).toThrow(ModelFileError);
    expect(() => checkModelFits(loaded, { shape: [5], classes: 10 }, 'm')).toThrow(
      /has 3 outputs but the data has 10 classes/,
    );
    await expect(loadImportedTarget(join(dir, 'model.json'), { shape: [5], classes: 2 })).rejects.toThrow(
      /model\.json: The model has 3 outputs but the data has 2 classes/,
    );
    const fit = await loadImportedTarget(join(dir, 'model.json'), { shape: [5], classes: 3 });
    expect(fit.outputs[0]!.shape).toEqual([null, 3]);
  });

  it('refuses a missing file, text that is not a model, a missing or short weight file', async () => {
    const dir = tempDir();
    expect((await rejects(loadImportedModel(join(dir, 'none.json')))).message).toMatch(/does not exist/);
    writeFileSync(join(dir, 'bad.json'), '{"modelTopology": ');
    expect((await rejects(loadImportedModel(join(dir, 'bad.json')))).message).toMatch(/not JSON/);
    writeFileSync(join(dir, 'graph.json'), JSON.stringify({ format: 'graph-model', modelTopology: {} }));
    expect((await rejects(loadImportedModel(join(dir, 'graph.json')))).message).toMatch(
      /not a TensorFlow\.js Layers model/,
    );
    const a = await saveArtifacts(tiny());
    const json = { modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    expect((await rejects(loadImportedModel(join(dir, 'model.json')))).message).toMatch(/"w\.bin" it names is missing/);
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(a.weightData).subarray(0, 12));
    expect((await rejects(loadImportedModel(join(dir, 'model.json')))).message).toMatch(
      /needs \d+ bytes of weights but the weight files hold 12/,
    );
  });
});
