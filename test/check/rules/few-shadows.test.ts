import { describe, expect, it } from 'vitest';
import { attackSettings } from '../../../src/check/rules/attack-settings.js';
import { checkRule } from '../harness.js';
import { BASE, check } from '../helpers.js';

describe('rule few-shadows (W301, W302)', () => {
  it('warns about a shadow-model attack with one shadow model', () => {
    const src = `${BASE.replace('count 4', 'count 1')}attack s = shadow_model { shadows: refs }\n`;
    const ds = checkRule(attackSettings, src);
    expect(check(src)).toEqual(ds); // the rule's warning is all the checker says
    expect(ds.map((d) => [d.severity, d.code, d.message, d.range.start.line, d.range.start.column])).toEqual([
      [
        'warning',
        'W301',
        'The shadow-model attack "s" uses a single shadow model; with one, the original study saw chance-level results.',
        10,
        36,
      ],
    ]);
  });

  it('warns about LiRA with per-record variances from few models', () => {
    const src = `${BASE}attack l = lira { shadows: refs }\n`;
    const ds = checkRule(attackSettings, src);
    expect(check(src)).toEqual(ds);
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ['W302', 'The LiRA attack "l" estimates a variance per record from 4 shadow models, too few to be reliable.'],
    ]);
  });
});
