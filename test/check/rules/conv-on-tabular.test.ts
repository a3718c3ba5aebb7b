import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { convOnTabular } from '../../../src/check/rules/conv-on-tabular.js';
import { ruleErrors } from '../harness.js';

/** convOnTabular's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(convOnTabular);

describe('rule conv-on-tabular (E330)', () => {
  it('reports conv and pooling layers of a model trained on 1-D data, at the layer', () => {
    const src = BASE.replace('dataset digits = mnist', 'dataset digits = csv("a.csv") { label: "y" }').replace(
      'layers [dense(16, relu)',
      'layers [conv2d(8, 3), max_pool(2), flatten, dense(16, relu)',
    );
    const ds = errorsOf(src, 'E330');
    expect(ds.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      [
        'The layer conv2d of model "mlp" needs image data, but target "victim" trains it on tabular data ("digits", csv), which is 1-D.',
        4,
        11,
      ],
      [
        'The layer max_pool of model "mlp" needs image data, but target "victim" trains it on tabular data ("digits", csv), which is 1-D.',
        4,
        25,
      ],
    ]);
  });

  it('accepts conv layers on images', () => {
    expect(
      errorsOf(BASE.replace('layers [dense(16, relu)', 'layers [conv2d(8, 3), flatten, dense(16, relu)'), 'E330'),
    ).toEqual([]);
  });
});
