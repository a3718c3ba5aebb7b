import { describe, expect, it } from 'vitest';
import { trainedShadows, unsupportedForRun } from '../../src/check/index.js';
import { loadSpec } from '../../src/cli/load.js';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

describe('the typed program of the language tour', () => {
  const tour = loadSpec(join(root, 'experiments', 'language-tour.mia'));
  const tab = loadSpec(join(root, 'experiments', 'tour-tabular.mia'));

  it('checks with no diagnostics and fills every part of the contract', () => {
    expect(tour.diagnostics).toEqual([]);
    expect(tab.diagnostics).toEqual([]);
    const p = tour.program!;
    const q = tab.program!;
    expect(p.experiment).toEqual({ name: 'tour', seed: 42 });
    expect([...p.datasets, ...q.datasets].map((d) => d.source.kind).sort()).toEqual([
      'cifar10',
      'csv',
      'idx',
      'mnist',
      'npy',
      'synthetic_purchase',
    ]);
    expect(q.datasets.find((d) => d.name === 'adult')!.source).toEqual({
      kind: 'csv',
      settings: {
        path: '../../shared/datasets/adult/adult.csv',
        label: 'Salary',
        label_column: null,
        header: 'auto',
        separator: null,
        missing: '?',
        on_missing: 'drop',
        categorical: 'auto',
        numeric: null,
        drop: null,
        membership: null,
        normalize: 'standard',
      },
    });
    expect(p.datasets.find((d) => d.name === 'digits')!.file).toMatch(/tour-common\.mia$/);
    const cnn = p.models.find((m) => m.name === 'cnn')!;
    expect(new Set(cnn.layers.map((l) => l.kind))).toEqual(
      new Set(['conv2d', 'batch_norm', 'max_pool', 'avg_pool', 'flatten', 'dense', 'activation', 'dropout']),
    );
    expect(cnn.layers[0]).toEqual({
      kind: 'conv2d',
      filters: 16,
      kernel: 3,
      stride: 1,
      padding: 'same',
      activation: 'relu',
    });
    expect(cnn.layers[8]).toEqual({ kind: 'dropout', rate: 0.25 });
    expect(cnn.train).toEqual({
      optimizer: { kind: 'sgd', rate: 0.01, momentum: 0.9 },
      epochs: 20,
      batch: 128,
      l2: 0.0005,
      earlyStopping: { patience: 3, validation: 0.1 },
      labelSmoothing: 0.1,
    });
    expect(p.targets.map((t) => t.kind)).toEqual(['local', 'imported', 'remote']);
    expect([...p.targets, ...q.targets].flatMap((t) => t.defenses.map((d) => d.kind)).sort()).toEqual([
      'adversarial_regularization',
      'dp_sgd',
      'dropout',
      'early_stopping',
      'l2',
      'label_smoothing',
      'labels_only',
      'memguard',
      'rounding',
      'top_k',
    ]);
    expect(p.targets[0]!.defenses[0]).toMatchObject({ kind: 'dp_sgd', settings: { noise: 1.1, clip: 1, delta: 1e-5 } });
    expect(p.targets[2]).toMatchObject({
      kind: 'remote',
      url: 'https://example.org/predict',
      output: 'probabilities',
      budget: 20000,
      members: {
        dataset: 'scans',
        ops: [
          { op: 'take', n: 1000 },
          { op: 'classes', classes: [0, 1] },
        ],
      },
    });
    expect(trainedShadows(p.shadows).map((s) => [s.name, s.sampling, s.size])).toEqual([
      ['refs', 'disjoint', 1000],
      ['online', 'half', 5000], // half of digits: the online attacks need the targets' records in the pool
    ]);
    expect(new Set(p.attacks.map((a) => a.kind))).toEqual(
      new Set(['threshold', 'shadow_model', 'ml_leaks', 'label_only', 'lira', 'rmia', 'population']),
    );
    expect(p.attacks.find((a) => a.name === 'robust')?.settings).toMatchObject({
      augmentations: [
        { kind: 'rotate', degrees: 3 },
        { kind: 'translate', pixels: 1 },
      ],
    });
    expect(q.attacks.find((a) => a.name === 'flips')?.settings).toMatchObject({
      augmentations: [{ kind: 'flip_bits', count: 2, max: 10 }],
    });
    expect(p.attacks.find((a) => a.name === 'rmia')?.settings).toMatchObject({
      mode: 'online',
      a: 0.3,
      gamma: 2,
      population: { dataset: 'digits', ops: [{ op: 'sample', n: 2000 }] },
      population_size: 1000,
    });
    expect(p.sweep.map((s) => [s.path, s.values])).toEqual([
      [
        ['refs', 'count'],
        [2, 4],
      ],
      [
        ['victim', 'members', 'size'],
        [500, 1000],
      ],
    ]);
    expect(p.report.metrics).toEqual([
      { kind: 'auc' },
      { kind: 'tprAtFpr', fpr: 0.001 },
      { kind: 'tprAtFpr', fpr: 0.01 },
      { kind: 'balanced_accuracy' },
      { kind: 'advantage' },
      { kind: 'precision' },
      { kind: 'recall' },
    ]);
    expect(p.report.plots).toEqual([{ kind: 'roc', scale: 'log' }, { kind: 'histogram' }]);
    expect(p.report.expectations!.map((e) => [e.text, e.subject, e.op, e.bound])).toEqual([
      ['lira.tpr@0.1% < 5%', 'lira', '<', 0.05],
      ['loss.auc.ci.upper < 0.75', 'loss', '<', 0.75],
      ['victim.test_accuracy >= 80%', 'victim', '>=', 0.8],
    ]);
  });

  it('is refused by mia run construct by construct, each named with its place', () => {
    const gate = unsupportedForRun(tour.program!);
    const msgs = gate.map((d) => d.message);
    // every data source loads, imported targets, defenses and several targets run: none is refused any more
    expect(msgs.some((m) => m.includes('data source') || m.includes('imported target'))).toBe(false);
    // nor remote targets: nothing of the tour is refused
    expect(gate).toEqual([]);
    // Every defense runs, and so do several targets.
    for (const what of ['defense', 'More than one target']) expect(msgs.some((m) => m.includes(what))).toBe(false);
    expect(msgs.some((m) => m.includes('Plots'))).toBe(false); // the report draws them now
    expect(gate.every((d) => d.range.start.line >= 1)).toBe(true);
    expect(unsupportedForRun(loadSpec(join(root, 'experiments', 'quickstart.mia')).program!)).toEqual([]);
  });
});
