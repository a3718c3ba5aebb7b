/**
 * The wording of the `train` block's and the `target` declaration's diagnostics, now read from the
 * descriptors (src/ml/train-settings/, src/ml/optimizers/, src/check/read/target-sources/): full
 * sentences quoting names, with "did you mean", under the codes they always had.
 */
import { describe, expect, it } from 'vitest';
import { BASE, check, pos } from './helpers.js';

const errors = (src: string) => check(src).filter((d) => d.severity === 'error');

describe('the train block and target sources as descriptors', () => {
  it('names an unknown optimizer with a suggestion and every optimizer in the hint (E170)', () => {
    const src = BASE.replace('adam(0.01)', 'adamm(0.01)');
    const [d, ...rest] = errors(src);
    expect(rest).toEqual([]);
    expect([d!.code, d!.message, d!.hint]).toEqual([
      'E170',
      'Unknown optimizer "adamm". Did you mean "adam"?',
      'Use adam(rate), sgd(rate, momentum) or rmsprop(rate).',
    ]);
    expect(d!.range.start).toMatchObject(pos(src, 'adamm'));
  });

  it('suggests a training setting, refuses a non-block early_stopping, and reads the optimizer positionally', () => {
    expect(errors(BASE.replace('epochs: 2', 'epoch: 2')).map((d) => [d.code, d.message])).toEqual([
      ['E103', 'The training settings of model "mlp" needs a "epochs" setting.'],
      ['E101', 'Unknown setting "epoch" in the training settings of model "mlp". Did you mean "epochs"?'],
    ]);
    expect(errors(BASE.replace('batch: 32', 'batch: 32, early_stopping: 3')).map((d) => [d.code, d.message])).toEqual([
      [
        'E114',
        'The early_stopping of the training settings of model "mlp" must be a block such as { patience: 3, validation: 0.1 }.',
      ],
    ]);
    expect(errors(BASE.replace('adam(0.01)', 'sgd(0.1, 0.9)'))).toEqual([]);
    expect(errors(BASE.replace('batch: 32', 'batch: 32, early_stopping { patience: 2 }'))).toEqual([]);
    expect(errors(BASE.replace('adam(0.01)', 'adam(0.01, 0.9)')).map((d) => d.code)).toEqual(['E104']);
  });

  it('lists every target source in E190, with a suggestion', () => {
    const src = BASE.replace(
      'attack loss',
      'target api = remot { url: "http://127.0.0.1:1/", budget: 10, members: digits.take(5), nonmembers: digits.take(5) }\nattack loss',
    );
    expect(errors(src).map((d) => [d.code, d.message])).toEqual([
      [
        'E190',
        'The target "api" must be a local model { model, members, nonmembers }, imported("model.json") { ... }, onnx("model.onnx") { ... } or remote { url, ... }. Did you mean "remote"?',
      ],
    ]);
  });
});
