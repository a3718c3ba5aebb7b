/**
 * An imported model reads only files inside its own folder, only regular files, and no byte before
 * the sizes its manifest implies are checked; its final activation is read from the file so that
 * probabilities are never softmaxed twice. Real model files, written by TensorFlow.js in the test.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildModel,
  initBackend,
  loadImportedModel,
  ModelFileError,
  queryLogits,
  readModelFiles,
  saveArtifacts,
  type ModelArtifacts,
} from '../../src/ml/index.js';
import { modelFileFacts } from '../../src/ml/model-file.js';
import { tempDir } from '../data/formats/helpers.js';

/** The ModelFileError `f` throws (sync or async); the test fails on anything else. */
async function refusal(f: () => unknown): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as Error).message;
  }
  throw new Error('expected a ModelFileError');
}

/** Writes model.json (naming `paths`) for the artifacts' topology and weight specs; returns its path. */
function writeModel(dir: string, a: { modelTopology: object; weightSpecs: unknown[] }, paths: string[]): string {
  const json = {
    format: 'layers-model',
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths, weights: a.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return join(dir, 'model.json');
}

/** Cross-entropy of each row's label under softmax(logits). */
function losses(logits: Float32Array, y: number[], classes: number): number[] {
  return y.map((label, r) => {
    const row = Array.from(logits.subarray(r * classes, (r + 1) * classes));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    return lse - row[label]!;
  });
}

describe('imported model files', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const tiny = () =>
    buildModel({
      layers: [
        { kind: 'dense', units: 6, activation: 'relu' },
        { kind: 'dense', units: 'classes', activation: 'softmax' },
      ],
      inputShape: [4],
      classes: 3,
      seed: 9,
    });
  const x = Float32Array.from({ length: 5 * 4 }, (_, i) => Math.cos(i * 1.3));
  const y = [0, 2, 1, 1, 0];

  it('refuses manifest paths out of the folder (.., absolute, links out), sized to match or not, reading nothing', async () => {
    const a = await saveArtifacts(tiny());
    const passwd = statSync('/etc/passwd').size;
    const bytes = (n: number) => [{ name: 'w', shape: [n], dtype: 'bool' }];
    const dir = tempDir();
    const up = `${'../'.repeat(dir.split('/').length)}etc/passwd`;
    symlinkSync('/etc/passwd', join(dir, 'link.bin'));
    symlinkSync('/etc', join(dir, 'etc'));
    const cases: [string, number, RegExp][] = [
      [up, passwd, /"(\.\.\/)+etc\/passwd" lies outside the model's folder/],
      [up, passwd + 3, /"(\.\.\/)+etc\/passwd" lies outside the model's folder/],
      ['sub/../../x.bin', 4, /"sub\/\.\.\/\.\.\/x\.bin" lies outside/],
      ['/etc/passwd', passwd, /"\/etc\/passwd" is an absolute path/],
      ['link.bin', passwd, /"link\.bin" is a link to \/etc\/passwd, outside the model's folder/],
      ['link.bin', 7, /"link\.bin" is a link to \/etc\/passwd/],
      ['etc/passwd', passwd, /"etc\/passwd" is a link to \/etc\/passwd/],
    ];
    for (const [path, size, message] of cases) {
      const model = writeModel(dir, { modelTopology: a.modelTopology, weightSpecs: bytes(size) }, [path]);
      for (const read of [() => modelFileFacts(model), () => readModelFiles(model), () => loadImportedModel(model)]) {
        const m = await refusal(read);
        expect(m).toMatch(message);
        expect(m).toMatch(/^\S*model\.json: /);
        expect(m).not.toContain('root:');
        expect(m.split('\n')).toHaveLength(1);
      }
    }
  });

  it('reads weight files in a subfolder and through links inside the folder; a wrong size is refused by stat', async () => {
    const model = tiny();
    const a = await saveArtifacts(model);
    const dir = tempDir();
    mkdirSync(join(dir, 'weights'));
    const w = new Uint8Array(a.weightData);
    writeFileSync(join(dir, 'weights', 'part1.bin'), w.subarray(0, 40));
    writeFileSync(join(dir, 'part2-real.bin'), w.subarray(40));
    symlinkSync('part2-real.bin', join(dir, 'part2.bin'));
    const path = writeModel(dir, a, ['weights/part1.bin', './weights/../part2.bin']);
    const loaded = await loadImportedModel(path);
    expect(Array.from(queryLogits(loaded, x, 5, [4], 3))).toEqual(Array.from(queryLogits(model, x, 5, [4], 3)));
    expect(readModelFiles(path).hash).toBe(modelFileFacts(path).hash);
    writeFileSync(join(dir, 'part2-real.bin'), Buffer.concat([Buffer.from(w.subarray(40)), Buffer.alloc(8)]));
    expect(await refusal(() => readModelFiles(path))).toMatch(
      /needs \d+ bytes of weights but the weight files hold \d+ \("weights\/part1\.bin", "\.\/weights\/\.\.\/part2\.bin"\).*Nothing was read/,
    );
  });

  it('refuses special files as the model file or a weight file: /dev/zero, a FIFO, a folder', async () => {
    expect(await refusal(() => readModelFiles('/dev/zero'))).toMatch(
      /^\/dev\/zero: This is a character device, not a regular file/,
    );
    expect(await refusal(() => modelFileFacts('/dev/zero'))).toMatch(/character device/);
    const dir = tempDir();
    expect(spawnSync('mkfifo', [join(dir, 'fifo.json'), join(dir, 'w.bin')]).status).toBe(0);
    expect(await refusal(() => modelFileFacts(join(dir, 'fifo.json')))).toMatch(/fifo\.json: This is a named pipe/);
    const a = await saveArtifacts(tiny());
    const model = writeModel(dir, a, ['w.bin']);
    expect(await refusal(() => readModelFiles(model))).toMatch(
      /model\.json: The weight file "w\.bin": This is a named pipe, not a regular file/,
    );
    mkdirSync(join(dir, 'sub'));
    writeModel(dir, a, ['sub']);
    expect(await refusal(() => readModelFiles(model))).toMatch(/"sub": This is a folder/);
    expect(await refusal(() => readModelFiles(join(dir, 'none.json')))).toMatch(/does not exist/);
  });

  it('a model trained and saved by TensorFlow.js ending in softmax gives the loss of the same model in mia, not a double softmax', async () => {
    // a user's model: softmax output, trained with model.fit, saved by model.save
    const user = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    user.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await user.fit(tf.tensor2d(x, [5, 4]), tf.tensor1d(y, 'float32'), { epochs: 3, verbose: 0 });
    const dir = tempDir();
    let saved: ModelArtifacts | null = null;
    await user.save(
      tf.io.withSaveHandler(async (art) => {
        saved = {
          modelTopology: art.modelTopology as object,
          weightSpecs: art.weightSpecs!,
          weightData: art.weightData as ArrayBuffer,
        };
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const art = saved as unknown as ModelArtifacts;
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(art.weightData));
    const path = writeModel(dir, art, ['weights.bin']);
    expect(JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).modelTopology)).toContain('"activation":"softmax"');
    expect(modelFileFacts(path).output).toBe('probabilities');
    const probs = (user.predict(tf.tensor2d(x, [5, 4])) as tf.Tensor).dataSync();
    const truth = y.map((label, r) => -Math.log(probs[r * 3 + label]!));
    const imported = losses(queryLogits(await loadImportedModel(path), x, 5, [4], 3), y, 3);
    imported.forEach((l, i) => expect(l).toBeCloseTo(truth[i]!, 5));
    // softmaxed twice (the probabilities taken as logits), the loss is another number
    const twice = losses(Float32Array.from(probs), y, 3);
    expect(Math.max(...twice.map((l, i) => Math.abs(l - truth[i]!)))).toBeGreaterThan(0.05);
  });

  it("mia's own model saved with a softmax output, as a Keras Softmax layer, or in a Keras export: logits bit for bit", async () => {
    const model = tiny();
    const a = await saveArtifacts(model);
    const want = Array.from(queryLogits(model, x, 5, [4], 3));
    const topo = a.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const withSoftmax = structuredClone(topo);
    withSoftmax.config.layers.at(-1)!.config.activation = 'softmax';
    const softmaxLayer = structuredClone(topo);
    softmaxLayer.config.layers.push({ class_name: 'Softmax', config: { name: 'probs', axis: -1, trainable: true } });
    softmaxLayer.config.layers.push({ class_name: 'Dropout', config: { name: 'drop', rate: 0.5, trainable: true } });
    const keras = { keras_version: '2.15.0', backend: 'tensorflow', model_config: withSoftmax };
    for (const modelTopology of [withSoftmax, softmaxLayer, keras]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'w.bin'), new Uint8Array(a.weightData));
      const path = writeModel(dir, { modelTopology, weightSpecs: a.weightSpecs }, ['w.bin']);
      expect(modelFileFacts(path).output).toBe('probabilities');
      expect(Array.from(queryLogits(await loadImportedModel(path), x, 5, [4], 3))).toEqual(want);
    }
  });

  it('asks for output: logits | probabilities where the file cannot tell, and refuses a setting the file contradicts', async () => {
    const model = tiny();
    const a = await saveArtifacts(model);
    const topo = structuredClone(a.modelTopology) as { config: { layers: { config: Record<string, unknown> }[] } };
    topo.config.layers.at(-1)!.config.activation = 'elu';
    const dir = tempDir();
    writeFileSync(join(dir, 'w.bin'), new Uint8Array(a.weightData));
    const path = writeModel(dir, { modelTopology: topo, weightSpecs: a.weightSpecs }, ['w.bin']);
    expect(await refusal(() => modelFileFacts(path))).toMatch(
      /cannot tell whether the model outputs logits or probabilities \(it ends in elu\); say which in the target: output: logits or output: probabilities/,
    );
    expect(modelFileFacts(path, 'logits').output).toBe('logits');
    // declared probabilities: their log is taken as logits, so mia's probabilities are the outputs, normalised
    const elu = Array.from(queryLogits(await loadImportedModel(path, 'logits'), x, 5, [4], 3));
    const logged = Array.from(queryLogits(await loadImportedModel(path, 'probabilities'), x, 5, [4], 3));
    logged.forEach((v, i) => expect(v).toBeCloseTo(Math.log(Math.max(elu[i]!, 1e-30)), 5));
    const softmaxFile = join(tempDir(), 'model.json');
    topo.config.layers.at(-1)!.config.activation = 'softmax';
    writeFileSync(join(softmaxFile, '..', 'w.bin'), new Uint8Array(a.weightData));
    writeModel(join(softmaxFile, '..'), { modelTopology: topo, weightSpecs: a.weightSpecs }, ['w.bin']);
    expect(await refusal(() => modelFileFacts(softmaxFile, 'logits'))).toMatch(
      /ends in softmax, so it outputs probabilities, but the target says output: logits/,
    );
  });
});
