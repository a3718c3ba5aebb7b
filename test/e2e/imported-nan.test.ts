/**
 * An imported model whose outputs are NaN or infinite fails its query job with the model file named,
 * before any attack reads them: exit 1, the model in the one line that says so, no results written.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mia, tempDir } from './helpers.js';

/** A real tfjs Layers model.json for MNIST digits (flatten, dense 10 softmax) with the given weights. */
function model(dir: string, kernel: number, bias: number): void {
  const layers = [
    { class_name: 'Flatten', config: { name: 'flat', batch_input_shape: [null, 28, 28, 1], trainable: true } },
    { class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax', use_bias: true, trainable: true } },
  ];
  const json = {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'm', layers } },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'out/kernel', shape: [784, 10], dtype: 'float32' },
          { name: 'out/bias', shape: [10], dtype: 'float32' },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  const w = new Float32Array(7850).fill(kernel);
  w.fill(bias, 7840);
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(w.buffer));
}

const spec = `experiment nan { seed 1 }
dataset digits = mnist
target t = imported("model.json") { members: digits.take(50), nonmembers: digits.take(50) }
attack loss = threshold { signal: loss }
attack conf = threshold { signal: confidence }
`;

describe('an imported model with non-finite outputs', () => {
  for (const [name, kernel, bias, value] of [
    ['NaN weights', Number.NaN, 0, 'NaN'],
    ['an infinite bias', 0.01, Number.POSITIVE_INFINITY, 'Infinity'],
  ] as const)
    it(`fails its query job naming the model (${name}); nothing written`, async () => {
      const dir = tempDir();
      model(dir, kernel, bias);
      writeFileSync(join(dir, 'e.mia'), spec);
      const r = await mia(['run', join(dir, 'e.mia'), '--out', join(dir, 'out'), '--quiet', '--backend', 'cpu']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `model\\.json: The model outputs ${value} \\(output \\d\\) for record \\d+; its answers must be finite numbers`,
        ),
      );
      expect(r.stderr).toContain('query/target/t: ');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'out', 'results.json'))).toBe(false);
    }, 120_000);
});
