import { describe, expect, it } from 'vitest';
import { BASE, errorsOf } from '../helpers.js';

describe('rule attack-settings (E142, E143)', () => {
  it('reports a per-class threshold without shadows, at the calibration', () => {
    const src = `${BASE}attack pc = threshold { signal: loss, calibration: per_class }\n`;
    const [d] = errorsOf(src, 'E142');
    expect(d!.message).toBe(
      'The threshold attack "pc" is calibrated per class, which needs shadow models to calibrate on.',
    );
    expect(d!.range.start).toMatchObject({ line: 10, column: 52 });
    expect(
      errorsOf(`${BASE}attack pc = threshold { signal: loss, calibration: per_class, shadows: refs }\n`, 'E142'),
    ).toEqual([]);
  });

  it('reports a label-only augmentation attack without augmentations, or with noise', () => {
    const [d] = errorsOf(`${BASE}attack lo = label_only { method: augmentation }\n`, 'E143');
    expect(d!.message).toContain('The label-only augmentation attack "lo" needs augmentations');
    expect(d!.range.start).toMatchObject({ line: 10, column: 34 });
    const [n] = errorsOf(
      `${BASE}attack lo = label_only { method: augmentation, augmentations: [rotate(3), noise(0.1, 5)] }\n`,
      'E143',
    );
    expect(n!.range.start).toMatchObject({ line: 10, column: 63 });
    expect(
      errorsOf(
        `${BASE}attack lo = label_only { method: augmentation, augmentations: [rotate(3), translate(1)] }\n`,
        'E143',
      ),
    ).toEqual([]);
  });

  it('reports a label-only noise attack whose augmentations are not only noise', () => {
    const [d] = errorsOf(`${BASE}attack ln = label_only { method: noise, augmentations: [rotate(3)] }\n`, 'E143');
    expect(d!.message).toBe(
      'The label-only noise attack "ln" needs augmentations: [noise(SIGMA, QUERIES)] and nothing else.',
    );
    expect(
      errorsOf(`${BASE}attack ln = label_only { method: noise, augmentations: [noise(0.3, 10)] }\n`, 'E143'),
    ).toEqual([]);
  });
});
