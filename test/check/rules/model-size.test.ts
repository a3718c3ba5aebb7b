import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { modelSize, modelSizeRule } from '../../../src/check/rules/model-size.js';
import { loadSource } from '../../../src/cli/load.js';
import { ruleErrors } from '../harness.js';
import { BASE } from '../helpers.js';

const withLayers = (layers: string, data = 'mnist') =>
  BASE.replace('dataset digits = mnist', `dataset digits = ${data}`).replace(
    'layers [dense(16, relu), dense(classes, softmax)]',
    `layers ${layers}`,
  );
/** model-size's diagnostics of one code, from the one-rule harness. */
const codes = ruleErrors(modelSizeRule);

describe('rule model-size (E342, W340)', () => {
  it('counts parameters from the layers and the data shape', () => {
    expect(modelSize([{ kind: 'dense', units: 16, activation: 'relu' }], [28, 28, 1], 10).params).toBe(784 * 16 + 16);
    const conv = modelSize(
      [
        { kind: 'conv2d', filters: 8, kernel: 3, stride: 1, padding: 'valid', activation: 'relu' },
        { kind: 'max_pool', size: 2, stride: 2 },
        { kind: 'dense', units: 'classes', activation: 'softmax' },
      ],
      [28, 28, 1],
      10,
    );
    expect(conv.params).toBe(3 * 3 * 8 + 8 + 13 * 13 * 8 * 10 + 10);
  });

  it('refuses two dense(65536) layers on MNIST, with the numbers, at the layers', () => {
    const [d] = codes(withLayers('[dense(65536, relu), dense(65536, relu), dense(classes, softmax)]'), 'E342');
    expect(d?.message).toMatch(
      /^Model "mlp" has 4\.3 billion parameters trained on "digits" \(mnist\); training it needs about [\d.]+ GB, more than this machine's [\d.]+ GB of memory\.$/,
    );
    expect(d?.range.start.line).toBe(4);
    expect(
      loadSource('t.mia', withLayers('[dense(65536, relu), dense(65536, relu), dense(classes, softmax)]')).program,
    ).toBeNull();
  });

  it('warns above 100 million parameters that fit, and says nothing of small models', () => {
    const big = withLayers('[dense(12000, relu), dense(12000, relu), dense(classes, softmax)]');
    const bytes = 16 * (784 * 12000 + 12000 * 12000);
    if (bytes < totalmem()) expect(codes(big, 'W340')).toHaveLength(1);
    expect(codes(BASE, 'W340')).toEqual([]);
    expect(codes(BASE, 'E342')).toEqual([]);
  });

  it('uses synthetic_purchase features; files unknown until loaded give a lower bound', () => {
    const synth = withLayers(
      '[dense(65536, relu), dense(classes, softmax)]',
      'synthetic_purchase { records: 5000, features: 600000, classes: 10 }',
    );
    expect(codes(synth, 'E342')[0]?.message).toContain('39.3 billion parameters');
    const file = withLayers('[dense(65536, relu), dense(65536, relu)]', 'csv("x.csv") { label: "y" }');
    expect(codes(file, 'E342')[0]?.message).toContain('has at least 4.3 billion parameters');
  });
});
