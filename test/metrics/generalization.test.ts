import { describe, it, expect } from 'vitest';
import { generalizationGap, vulnerability } from '../../src/metrics/index.js';

describe('vulnerability', () => {
  it('computes a worked example', () => {
    // A = 1.0 / 0.8 = 1.25; L = 0.5 / 0.1 = 5; 2AL/(A+L) = 12.5 / 6.25 = 2; V = ln 2 ≈ 0.693147.
    expect(vulnerability({ accIn: 1, accOut: 0.8, lossIn: 0.1, lossOut: 0.5 })).toBeCloseTo(Math.LN2, 12);
    // The quickstart's reference: A = 0.998/0.884 ≈ 1.128959, L = 0.6/0.02 = 30;
    // 2AL/(A+L) = 67.7376 / 31.128959 ≈ 2.176 → V ≈ 0.7775.
    expect(vulnerability({ accIn: 0.998, accOut: 0.884, lossIn: 0.02, lossOut: 0.6 })).toBeCloseTo(0.7775, 3);
  });
  it('is 0 with no gap and negative when non-members fare better', () => {
    expect(vulnerability({ accIn: 0.9, accOut: 0.9, lossIn: 0.3, lossOut: 0.3 })).toBe(0);
    // A = 0.5, L = 0.5 → harmonic mean 0.5 → ln 0.5.
    expect(vulnerability({ accIn: 0.4, accOut: 0.8, lossIn: 0.4, lossOut: 0.2 })).toBeCloseTo(-Math.LN2, 12);
  });
  it('returns null where V is undefined', () => {
    expect(vulnerability({ accIn: 1, accOut: 0, lossIn: 0.1, lossOut: 0.5 })).toBeNull(); // A = x/0
    expect(vulnerability({ accIn: 1, accOut: 0.8, lossIn: 0, lossOut: 0.5 })).toBeNull(); // L = x/0
    expect(vulnerability({ accIn: 0, accOut: 0.8, lossIn: 0.1, lossOut: 0.5 })).toBeNull(); // ln 0
    expect(vulnerability({ accIn: 1, accOut: 0.8, lossIn: 0.1, lossOut: 0 })).toBeNull(); // ln 0
    expect(vulnerability({ accIn: 1, accOut: 0.8, lossIn: Infinity, lossOut: Infinity })).toBeNull();
  });
  it('takes the limit ln(2A) when only lossOut is infinite', () => {
    // L = ∞: 2/(1/A + 0) = 2A = 2.5.
    expect(vulnerability({ accIn: 1, accOut: 0.8, lossIn: 0.1, lossOut: Infinity })).toBeCloseTo(Math.log(2.5), 12);
  });
  it('throws on impossible inputs', () => {
    expect(() => vulnerability({ accIn: 1.2, accOut: 0.8, lossIn: 0.1, lossOut: 0.5 })).toThrow(RangeError);
    expect(() => vulnerability({ accIn: 1, accOut: 0.8, lossIn: -0.1, lossOut: 0.5 })).toThrow(RangeError);
    expect(() => vulnerability({ accIn: 1, accOut: 0.8, lossIn: 0.1, lossOut: NaN })).toThrow(RangeError);
  });
});

describe('generalizationGap', () => {
  it('is train minus test accuracy', () => {
    expect(generalizationGap(0.998, 0.884)).toBeCloseTo(0.114, 12);
    expect(generalizationGap(0.5, 0.75)).toBe(-0.25);
    expect(() => generalizationGap(1.5, 0.2)).toThrow(RangeError);
  });
});
