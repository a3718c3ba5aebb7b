import { describe, expect, it } from 'vitest';
import {
  calibrateThresholds,
  liraScores,
  logNormalCdf,
  logNormalPdf,
  populationScores,
  rmiaRatios,
  rmiaScores,
} from '../../src/attacks/index.js';
import { auc, roc, tprAtFpr } from '../../src/metrics/index.js';
import { makeRng } from '../../src/util/rng.js';

/** n candidates (first half members); per-record means μ_r; members shifted by `shift` in the target and in IN models. */
function plantedLira(n: number, models: number, shift: number, seed: number, withIn: boolean) {
  const rng = makeRng(seed);
  const mu = Float64Array.from({ length: n }, () => 3 * rng.normal());
  const member = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
  const target = Float64Array.from(mu, (m, i) => m + shift * member[i]! + rng.normal());
  const isIn = Array.from({ length: models }, (_, k) =>
    Uint8Array.from({ length: n }, () => (withIn && k % 2 === 0 ? 1 : 0)),
  );
  const refs = isIn.map((mask) => Float64Array.from(mu, (m, i) => m + shift * mask[i]! + rng.normal()));
  return { target, refs, isIn, member };
}

describe('LiRA', () => {
  it('offline: hand-checked one-sided test on z = (φ − μ_out) / σ_out, scored as the log-odds log Φ(z) − log Φ(−z)', () => {
    const s = liraScores(
      {
        target: Float64Array.from([3]),
        refs: [[1], [2], [3]].map((v) => Float64Array.from(v)),
        isIn: [0, 0, 0].map(() => Uint8Array.from([0])),
      },
      { mode: 'offline', fixedVariance: false },
    );
    const z = 1 / (Math.sqrt(2 / 3) + 1e-9);
    expect(s[0]).toBeCloseTo(logNormalCdf(z) - logNormalCdf(-z), 12);
  });

  it('offline: the most member-like records stay ordered where log Φ(z) alone rounds to 0 (z past 38)', () => {
    const refs = [Float64Array.from([0, 0, 0]), Float64Array.from([1, 1, 1])];
    const isIn = refs.map(() => Uint8Array.from([0, 0, 0]));
    const s = liraScores(
      { target: Float64Array.from([30, 40, 50]), refs, isIn },
      { mode: 'offline', fixedVariance: false },
    );
    expect(Math.abs(logNormalCdf(60))).toBe(0); // what a log Φ(z) score would give all three
    expect(s[0]).toBeLessThan(s[1]!);
    expect(s[1]).toBeLessThan(s[2]!);
    expect(Number.isFinite(s[2]!)).toBe(true);
  });

  it('online: hand-checked log N(φ; μ_in, σ_in²) − log N(φ; μ_out, σ_out²)', () => {
    const refs = [5, 7, 1, 2].map((v) => Float64Array.from([v]));
    const isIn = [1, 1, 0, 0].map((v) => Uint8Array.from([v]));
    const s = liraScores({ target: Float64Array.from([4]), refs, isIn }, { mode: 'online', fixedVariance: false });
    expect(s[0]).toBeCloseTo(logNormalPdf(4, 6, 1 + 1e-9) - logNormalPdf(4, 1.5, 0.5 + 1e-9), 12);
  });

  it('fixed variance: one σ, the standard deviation of all OUT values together', () => {
    const refs = [Float64Array.from([0, 10]), Float64Array.from([2, 14])];
    const isIn = [Uint8Array.from([0, 0]), Uint8Array.from([0, 0])];
    const s = liraScores({ target: Float64Array.from([1, 13]), refs, isIn }, { mode: 'offline', fixedVariance: true });
    const sd = Math.sqrt(((0 - 6.5) ** 2 + (10 - 6.5) ** 2 + (2 - 6.5) ** 2 + (14 - 6.5) ** 2) / 4) + 1e-9;
    expect(s[0]).toBeCloseTo(0, 12); // z = 0: even odds
    expect(s[1]).toBeCloseTo(logNormalCdf(1 / sd) - logNormalCdf(-1 / sd), 12);
  });

  it('finds a planted shift on Gaussian signals: online and offline beat the raw signal at low FPR', () => {
    const { target, refs, isIn, member } = plantedLira(2000, 16, 2, 11, true);
    const online = liraScores({ target, refs, isIn }, { mode: 'online', fixedVariance: false });
    const offline = liraScores(
      { target, refs: refs.filter((_, k) => k % 2 === 1), isIn: isIn.filter((_, k) => k % 2 === 1) },
      { mode: 'offline', fixedVariance: false },
    );
    const raw = roc(target, member);
    // The raw signal is swamped by the per-record means (σ 3 against a shift of 2); LiRA removes them.
    expect(auc(raw)).toBeLessThan(0.75);
    for (const s of [online, offline]) {
      const c = roc(s, member);
      expect(auc(c)).toBeGreaterThan(0.8);
      expect(tprAtFpr(c, 0.01)).toBeGreaterThan(tprAtFpr(raw, 0.01) + 0.05);
    }
  });

  it('refuses online scoring without IN models, with a message that says what to do', () => {
    const { target, refs, isIn } = plantedLira(10, 4, 1, 1, false);
    expect(() => liraScores({ target, refs, isIn }, { mode: 'online', fixedVariance: false })).toThrow(
      /sampled "half"|Sample the shadows "half"/,
    );
  });
});

describe('RMIA', () => {
  it('hand-checked ratios, offline correction and the fraction of z with LR ≥ γ', () => {
    const a = 0.4;
    const cand = {
      target: Float64Array.from([0.9, 0.2]),
      refs: [Float64Array.from([0.5, 0.4]), Float64Array.from([0.7, 0.2])],
      isIn: [Uint8Array.from([0, 0]), Uint8Array.from([1, 0])],
    };
    const r = rmiaRatios(cand, { mode: 'offline', a, gamma: 1 });
    // record 0: OUT models only → model 0: Pr_OUT = 0.5; record 1: both OUT → 0.3.
    expect(r[0]).toBeCloseTo(0.9 / (0.5 * ((1 + a) * 0.5 + (1 - a))), 14);
    expect(r[1]).toBeCloseTo(0.2 / (0.5 * ((1 + a) * 0.3 + (1 - a))), 14);
    const on = rmiaRatios(cand, { mode: 'online', a, gamma: 1 });
    expect(on[0]).toBeCloseTo(0.9 / 0.6, 14);
    const pop = {
      target: Float64Array.from([0.5, 0.5, 0.5, 0.5]),
      refs: [Float64Array.from([0.25, 0.5, 1, 0.1]), Float64Array.from([0.25, 0.5, 1, 0.1])],
      isIn: [new Uint8Array(4), new Uint8Array(4)],
    };
    // Online ratios of z: 2, 1, 0.5, 5. Candidate 0 has 1.5: with γ = 1, z with ratio ≤ 1.5 → 2 of 4.
    const s = rmiaScores(cand, pop, { mode: 'online', a, gamma: 1 });
    expect(s[0]).toBe(0.5);
    // γ = 2: z with ratio ≤ 0.75 → 1 of 4.
    expect(rmiaScores(cand, pop, { mode: 'online', a, gamma: 2 })[0]).toBe(0.25);
  });
});

describe('the population attack', () => {
  it("scores the fraction of population losses at least the record's loss (ties count)", () => {
    const s = populationScores([0.1, 0.5, 2, 9], [0.5, 1, 1.5, 3]);
    expect(Array.from(s)).toEqual([1, 1, 0.25, 0]);
  });
});

describe('per-class threshold calibration', () => {
  it("finds each class's own threshold, so subtracting it aligns classes with different offsets", () => {
    // Class 0: members score 10, non-members 9; class 1: members 1, non-members 0.
    const scores = [10, 10, 9, 9, 1, 1, 0, 0];
    const member = [1, 1, 0, 0, 1, 1, 0, 0];
    const cls = [0, 0, 0, 0, 1, 1, 1, 1];
    const t = calibrateThresholds(scores, member, cls, 3);
    expect(Array.from(t.slice(0, 2))).toEqual([10, 1]);
    // Class 2 has no samples: it gets the global threshold (best balanced accuracy over all: 10... or 1).
    expect([1, 10]).toContain(t[2]);
    const aligned = scores.map((s, i) => s - t[cls[i]!]!);
    expect(auc(roc(aligned, member))).toBe(1);
    expect(auc(roc(scores, member))).toBeLessThan(1);
  });
});
