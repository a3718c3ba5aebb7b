import { describe, expect, it } from 'vitest';
import { BASE, check, pos } from '../helpers.js';
import { attackSettings } from '../../../src/check/rules/attack-settings.js';
import { ruleErrors } from '../harness.js';

/** attackSettings's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(attackSettings);

describe('rule attack-settings (E142, E143, E144, W303)', () => {
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

  it('reports an RMIA trim of half or more (nothing left to average), at the trim; 20% and 0 are fine', () => {
    const src = `${BASE}attack r = rmia { shadows: refs, trim: 50% }\n`;
    const [d] = errorsOf(src, 'E144');
    expect(d!.message).toBe(
      'The RMIA attack "r" cuts 50% of the reference models\' values from each end, which leaves none to average.',
    );
    expect(d!.range.start).toMatchObject(pos(src, '50%'));
    for (const ok of ['trim: 20%', 'trim: 0.2', 'trim: 0', 'mode: offline'])
      expect(check(`${BASE}attack r = rmia { shadows: refs, ${ok} }\n`).filter((x) => x.severity === 'error')).toEqual(
        [],
      );
    // 1 or more is out of the setting's bound (E117), reported once.
    const big = check(`${BASE}attack r = rmia { shadows: refs, trim: 1.5 }\n`).map((x) => x.code);
    expect(big).toContain('E117');
    expect(big).not.toContain('E144');
  });

  it('accepts a LiRA centre of mean or median and nothing else', () => {
    for (const c of ['mean', 'median'])
      expect(
        check(`${BASE}attack l = lira { shadows: refs, fixed_variance: true, centre: ${c} }\n`).filter(
          (x) => x.severity === 'error',
        ),
      ).toEqual([]);
    expect(check(`${BASE}attack l = lira { shadows: refs, centre: mode }\n`).some((x) => x.severity === 'error')).toBe(
      true,
    );
  });

  it('warns where an RMIA trim cuts nothing because there are too few reference models', () => {
    const src = `${BASE}attack r = rmia { shadows: refs, trim: 20% }\n`; // refs: count 4
    const [w] = check(src).filter((d) => d.code === 'W303');
    expect(w!.severity).toBe('warning');
    expect(w!.message).toBe(
      'The RMIA attack "r" trims 20% of at most 4 reference models\' values, which cuts none: the plain mean is used.',
    );
    expect(w!.hint).toBe('A trim of 20% needs 5 or more reference models.');
    expect(w!.range.start).toMatchObject(pos(src, '20%'));
    const five = src.replace('count 4', 'count 5');
    expect(check(five).filter((d) => d.code === 'W303')).toEqual([]);
    expect(check(`${BASE}attack r = rmia { shadows: refs }\n`).filter((d) => d.code === 'W303')).toEqual([]);
  });
});
