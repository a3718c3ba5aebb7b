/** The layer kinds' descriptors: gaussian_noise is active in training only, seeded, and reads like the others. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LayerDef } from '../../src/kinds/program.js';
import { buildModel, initBackend } from '../../src/ml/index.js';
import { loadArtifacts, saveArtifacts } from '../../src/ml/serialize.js';
import { BASE, check } from '../check/helpers.js';

const layers: LayerDef[] = [
  { kind: 'gaussian_noise', stddev: 1 },
  { kind: 'dense', units: 3, activation: 'linear' },
];

describe('gaussian_noise', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('adds noise in training only, a fresh draw each step, the same draws for the same seed', async () => {
    const x = tf.ones([2, 4]);
    const run = () => {
      const m = buildModel({ layers, inputShape: [4], classes: 3, seed: 9 });
      const out = (training: boolean) => Array.from((m.apply(x, { training }) as tf.Tensor).dataSync());
      return { m, query: [out(false), out(false)], train: [out(true), out(true)] };
    };
    const a = run();
    expect(a.query[0]).toEqual(a.query[1]);
    expect(a.train[0]).not.toEqual(a.query[0]);
    expect(a.train[0]).not.toEqual(a.train[1]);
    expect(run().train).toEqual(a.train);
    // Saved and loaded (the cache, the workers): still a noise layer, still quiet at query time.
    const back = await loadArtifacts(await saveArtifacts(a.m));
    expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(a.query[0]);
    expect(back.layers[0]!.getClassName()).toBe('MiaGaussianNoise');
  });

  it('is checked like every layer: its setting required, positive, by place or name', () => {
    const diags = (layer: string) =>
      check(BASE.replace('dense(16, relu),', `${layer}, dense(16, relu),`)).map((d) => [d.code, d.message]);
    expect(diags('gaussian_noise(stddev: 0.1)')).toEqual([]);
    expect(diags('gaussian_noise')).toEqual([['E162', 'The layer gaussian_noise needs a "stddev" setting.']]);
    expect(diags('gaussian_noise(-1)')).toEqual([
      ['E117', 'The stddev of gaussian_noise must be greater than 0, not -1.'],
    ]);
    expect(diags('gaussian_noise(1, 2)')[0]).toEqual([
      'E104',
      'The layer gaussian_noise takes at most 1 positional argument (stddev).',
    ]);
    expect(diags('gaussian_nois(1)')[0]![1]).toContain('Unknown layer "gaussian_nois". Did you mean "gaussian_noise"?');
  });
});
