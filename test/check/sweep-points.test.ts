import { describe, expect, it } from 'vitest';
import { BASE, check } from './helpers.js';

describe('the rules at every sweep point', () => {
  it('gives W301 for the point with a single shadow model only', () => {
    const src = `${BASE}attack shokri = shadow_model { shadows: refs }\nsweep { refs.count in [1, 2] }\n`;
    const w = check(src).filter((d) => d.code === 'W301');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(
      /^At the sweep point refs\.count = 1: The shadow-model attack "shokri" uses a single/,
    );
    expect(
      check(`${BASE}attack shokri = shadow_model { shadows: refs }\nsweep { refs.count in [4, 8] }\n`).filter(
        (d) => d.code === 'W301',
      ),
    ).toEqual([]);
  });

  it('catches at check time a size that only one point makes too large', () => {
    const src = `${BASE}sweep { victim.members.size in [100, 20000] }\n`;
    const errors = check(src).filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((d) => d.message.startsWith('At the sweep point victim.members.size = 20000: '))).toBe(true);
    expect(check(`${BASE}sweep { victim.members.size in [100, 200] }\n`).filter((d) => d.severity === 'error')).toEqual(
      [],
    );
  });
});
