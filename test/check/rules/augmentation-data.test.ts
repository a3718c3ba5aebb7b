import { describe, expect, it } from 'vitest';
import { BASE } from '../helpers.js';
import { augmentationData } from '../../../src/check/rules/augmentation-data.js';
import { ruleErrors } from '../harness.js';

/** augmentationData's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(augmentationData);

const TABULAR = BASE.replace(
  'dataset digits = mnist',
  'dataset digits = synthetic_purchase { records: 10000, features: 600, classes: 100 }',
);

describe('rule augmentation-data (E320)', () => {
  it('reports an image augmentation on tabular data', () => {
    const src = `${TABULAR}attack lo = label_only { method: augmentation, augmentations: [flip_bits(2, 8), rotate(3)] }\n`;
    const [d, ...more] = errorsOf(src, 'E320');
    expect(more).toEqual([]);
    expect(d!.message).toBe(
      'The augmentation rotate of attack "lo" needs image data, but target "victim" is trained on tabular data ("digits", synthetic_purchase).',
    );
    expect(d!.range.start).toMatchObject({ line: 10, column: 81 });
  });

  it('reports flip_bits on images', () => {
    const src = `${BASE}attack lo = label_only { method: augmentation, augmentations: [flip_bits(2, 8)] }\n`;
    expect(errorsOf(src, 'E320')[0]!.message).toContain(
      'flips binary tabular features, but target "victim" is trained on images ("digits", mnist)',
    );
  });
});
