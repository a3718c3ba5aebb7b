/**
 * The reference codes' choices offered as settings: LiRA centred on the median of the reference models'
 * values (tensorflow/privacy research/mi_lira_2021/plot.py), RMIA's Pr(x) as a trimmed mean (ML Privacy
 * Meter research/2024_rmia/main.py, proportiontocut 0.2). Hand-computed cases, and the defaults unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  liraScores,
  logNormalCdf,
  logNormalPdf,
  median,
  rmiaRatios,
  rmiaScores,
  scoreSignals,
  trimmedMean,
  type SignalsOptions,
} from '../../src/attacks/index.js';
import type { AttackContext } from '../../src/attacks/index.js';
import { lira } from '../../src/attacks/kinds/lira.js';
import { rmia } from '../../src/attacks/kinds/rmia.js';
import { liraAttack } from '../../src/attacks/lira.js';
import { rmiaAttack } from '../../src/attacks/rmia.js';
import type { SignalsInput } from '../../src/attacks/signals-input.js';
import { logitConfidenceFromLoss } from '../../src/attacks/signals.js';
import { makeRng } from '../../src/util/rng.js';

const f64 = (xs: number[]) => Float64Array.from(xs);
const masks = (xs: number[]) => xs.map((v) => Uint8Array.from([v]));
/** The log-odds score of offline LiRA at z. */
const logOdds = (z: number) => logNormalCdf(z) - logNormalCdf(-z);

describe('median and trimmed mean (numpy median, scipy trim_mean)', () => {
  it('median: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('trimmed mean cuts ⌊p·n⌋ from each end, and nothing where that is 0', () => {
    expect(trimmedMean([1, 2, 3, 4, 100], 0.2)).toBe(3); // cuts 1 and 100
    expect(trimmedMean([9, 1, 2, 3, 4, 5, 6, 7, 8, 100], 0.1)).toBe(5.5); // cuts 1 and 100
    expect(trimmedMean([9, 1, 2, 3, 4, 5, 6, 7, 8, 100], 0.25)).toBe(5.5); // cuts 1, 2 and 9, 100
    expect(trimmedMean([1, 2, 3, 10], 0.2)).toBe(4); // ⌊0.8⌋ = 0: the plain mean
    expect(trimmedMean([1, 2, 3, 10], 0)).toBe(4);
  });
});

describe('LiRA centre: mean (the paper) or median (the reference code)', () => {
  // One record; OUT values 0, 1, 8: mean 3, median 1, σ about the mean √(38/3) (np.std) either way.
  const out = [0, 1, 8];
  const sd = Math.sqrt(38 / 3) + 1e-9;

  it('offline: z = (φ − μ_out)/σ_out with μ_out the mean or the median, σ_out the same', () => {
    const sig = { target: f64([2]), refs: out.map((v) => f64([v])), isIn: masks([0, 0, 0]) };
    const byMean = liraScores(sig, { mode: 'offline', fixedVariance: false, centre: 'mean' });
    const byMedian = liraScores(sig, { mode: 'offline', fixedVariance: false, centre: 'median' });
    expect(byMean[0]).toBeCloseTo(logOdds((2 - 3) / sd), 12); // below the mean: looks like a non-member
    expect(byMedian[0]).toBeCloseTo(logOdds((2 - 1) / sd), 12); // above the median: looks like a member
    expect(byMean[0]).toBeLessThan(0);
    expect(byMedian[0]).toBeGreaterThan(0);
  });

  it('online: both Gaussians move to the medians, their σ stay the deviations about the means', () => {
    // IN values 5, 6, 10 (mean 7, median 6, σ √(14/3)); OUT as above; φ = 4.
    const refs = [5, 6, 10, ...out].map((v) => f64([v]));
    const sig = { target: f64([4]), refs, isIn: masks([1, 1, 1, 0, 0, 0]) };
    const sdIn = Math.sqrt(14 / 3) + 1e-9;
    const byMean = liraScores(sig, { mode: 'online', fixedVariance: false, centre: 'mean' });
    const byMedian = liraScores(sig, { mode: 'online', fixedVariance: false, centre: 'median' });
    expect(byMean[0]).toBeCloseTo(logNormalPdf(4, 7, sdIn) - logNormalPdf(4, 3, sd), 12);
    expect(byMedian[0]).toBeCloseTo(logNormalPdf(4, 6, sdIn) - logNormalPdf(4, 1, sd), 12);
    // An even count: the median of IN 1, 2, 3, 10 is 2.5.
    const even = { target: f64([4]), refs: [1, 2, 3, 10, 0, 2].map((v) => f64([v])), isIn: masks([1, 1, 1, 1, 0, 0]) };
    const s = liraScores(even, { mode: 'online', fixedVariance: false, centre: 'median' });
    expect(s[0]).toBeCloseTo(logNormalPdf(4, 2.5, Math.sqrt(12.5) + 1e-9) - logNormalPdf(4, 1, 1 + 1e-9), 12);
  });

  it('fixed variance: the median moves μ only; σ is the global standard deviation either way', () => {
    // Two records, OUT values (0, 1, 8) and (10, 10, 13); σ over all six values about their mean 7.
    const refs = [f64([0, 10]), f64([1, 10]), f64([8, 13])];
    const sig = { target: f64([2, 12]), refs, isIn: [0, 1, 2].map(() => Uint8Array.from([0, 0])) };
    const all = [0, 1, 8, 10, 10, 13];
    const sdAll = Math.sqrt(all.reduce((s, v) => s + (v - 7) ** 2, 0) / 6) + 1e-9;
    const s = liraScores(sig, { mode: 'offline', fixedVariance: true, centre: 'median' });
    expect(s[0]).toBeCloseTo(logOdds((2 - 1) / sdAll), 12);
    expect(s[1]).toBeCloseTo(logOdds((12 - 10) / sdAll), 12);
    const m = liraScores(sig, { mode: 'offline', fixedVariance: true, centre: 'mean' });
    expect(m[1]).toBeCloseTo(logOdds((12 - 11) / sdAll), 12);
  });

  it('the default (no centre) is the mean, to the bit', () => {
    const rng = makeRng(3);
    const n = 50;
    const refs = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => rng.normal()));
    const isIn = refs.map((_, k) => Uint8Array.from({ length: n }, (_, i) => (k + i) % 2));
    const sig = { target: Float64Array.from({ length: n }, () => rng.normal()), refs, isIn };
    for (const mode of ['online', 'offline'] as const)
      for (const fixedVariance of [false, true]) {
        const d = liraScores(sig, { mode, fixedVariance });
        expect(liraScores(sig, { mode, fixedVariance, centre: 'mean' })).toEqual(d);
        expect(liraScores(sig, { mode, fixedVariance, centre: 'median' })).not.toEqual(d);
      }
  });
});

describe("RMIA trim: Pr(x) as the plain mean (the paper) or a trimmed mean (the paper's code)", () => {
  const a = 0.3;
  const offlinePx = (pOut: number) => 0.5 * ((1 + a) * pOut + (1 - a));
  // One record, six reference models: model 0 IN (p_y 0.95), five OUT with p_y 0.1, 0.5, 0.6, 0.7, 0.99.
  const cand = {
    target: f64([0.9]),
    refs: [0.95, 0.1, 0.5, 0.6, 0.7, 0.99].map((v) => f64([v])),
    isIn: masks([1, 0, 0, 0, 0, 0]),
  };

  it('offline: trims the OUT models only (⌊0.2·5⌋ = 1 from each end: 0.5, 0.6, 0.7 remain)', () => {
    const full = rmiaRatios(cand, { mode: 'offline', a, gamma: 1 });
    const trimmed = rmiaRatios(cand, { mode: 'offline', a, gamma: 1, trim: 0.2 });
    expect(full[0]).toBeCloseTo(0.9 / offlinePx(2.89 / 5), 14);
    expect(trimmed[0]).toBeCloseTo(0.9 / offlinePx(0.6), 14);
  });

  it('online: trims all six models (⌊0.2·6⌋ = 1: 0.1 and 0.99 go)', () => {
    const full = rmiaRatios(cand, { mode: 'online', a, gamma: 1 });
    const trimmed = rmiaRatios(cand, { mode: 'online', a, gamma: 1, trim: 0.2 });
    expect(full[0]).toBeCloseTo(0.9 / (3.84 / 6), 14);
    expect(trimmed[0]).toBeCloseTo(0.9 / ((0.95 + 0.5 + 0.6 + 0.7) / 4), 14);
  });

  it('trims Pr(z) the same way, and the score (the fraction of z with LR ≥ γ) follows', () => {
    // Population: z0 has one outlying reference (p_y 0.01 among 0.5s), which trimming removes.
    const pop = {
      target: f64([0.5, 0.5]),
      refs: [0.01, 0.5, 0.5, 0.5, 0.5].map((v) => f64([v, 0.4])),
      isIn: [0, 1, 2, 3, 4].map(() => Uint8Array.from([0, 0])),
    };
    const x = {
      target: f64([0.6]),
      refs: [0.5, 0.5, 0.5, 0.5, 0.5].map((v) => f64([v])),
      isIn: masks([0, 0, 0, 0, 0]),
    };
    // Online, untrimmed: r_x = 0.6/0.5 = 1.2; r_z0 = 0.5/0.402 ≈ 1.244, r_z1 = 0.5/0.4 = 1.25: no z below 1.2.
    expect(rmiaScores(x, pop, { mode: 'online', a, gamma: 1 })[0]).toBe(0);
    // Trimmed: r_z0 = 0.5/0.5 = 1 ≤ 1.2, so one z of two.
    expect(rmiaScores(x, pop, { mode: 'online', a, gamma: 1, trim: 0.2 })[0]).toBe(0.5);
  });

  it('with fewer than 5 usable models a 20% trim cuts nothing (as scipy), and trim 0 is the default to the bit', () => {
    const four = { ...cand, isIn: masks([1, 1, 0, 0, 0, 0]) };
    expect(rmiaRatios(four, { mode: 'offline', a, gamma: 1, trim: 0.2 })).toEqual(
      rmiaRatios(four, { mode: 'offline', a, gamma: 1 }),
    );
    const rng = makeRng(5);
    const n = 40;
    const refs = Array.from({ length: 7 }, () => Float64Array.from({ length: n }, () => rng.next()));
    const sig = {
      target: Float64Array.from({ length: n }, () => rng.next()),
      refs,
      isIn: refs.map((_, k) => Uint8Array.from({ length: n }, (_, i) => ((k + i) % 3 === 0 ? 1 : 0))),
    };
    for (const mode of ['online', 'offline'] as const) {
      const d = rmiaRatios(sig, { mode, a, gamma: 2 });
      expect(rmiaRatios(sig, { mode, a, gamma: 2, trim: 0 })).toEqual(d);
      expect(rmiaRatios(sig, { mode, a, gamma: 2, trim: 0.2 })).not.toEqual(d);
    }
  });
});

describe('the variants on precomputed signals (mia attack --signals)', () => {
  // Six scored records (3 members) and 40 population records, 5 reference models; losses.
  const rng = makeRng(9);
  const n = 46;
  const member = Int8Array.from({ length: n }, (_, r) => (r < 3 ? 1 : r < 6 ? 0 : -1));
  const isIn = Array.from({ length: 5 }, (_, k) =>
    Uint8Array.from({ length: n }, (_, r) => (r < 6 && (k + r) % 2 ? 1 : 0)),
  );
  const loss = () => 0.05 + 2 * rng.next();
  const target = Float64Array.from({ length: n }, loss);
  const refs = isIn.map(() => Float64Array.from({ length: n }, loss));
  const input: SignalsInput = {
    member,
    labels: null,
    target: { kind: 'loss', loss: target },
    references: { models: refs.map((l) => ({ kind: 'loss', loss: l })), isIn },
  };
  const base: SignalsOptions = { attacks: ['lira', 'rmia'], explicit: true, a: 0.3, gamma: 2 };
  const names = (o: SignalsOptions) => scoreSignals(input, o).variants.map((v) => v.name);

  it('by default gives the paper variants under their usual names', () => {
    expect(names(base)).toEqual([
      'lira_offline',
      'lira_offline_fixed',
      'lira_online',
      'lira_online_fixed',
      'rmia_offline',
      'rmia_online',
    ]);
  });

  it('with the median centre and a trim, scores as the attacks do on the same values, under marked names', () => {
    const o = { ...base, liraCentre: 'median' as const, rmiaTrim: 0.2 };
    const v = scoreSignals(input, o).variants;
    expect(v.map((x) => x.name)).toEqual([
      'lira_offline_median',
      'lira_offline_fixed_median',
      'lira_online_median',
      'lira_online_fixed_median',
      'rmia_offline_trimmed',
      'rmia_online_trimmed',
    ]);
    const scored = [0, 1, 2, 3, 4, 5];
    const phi = (l: Float64Array) => Float64Array.from(scored, (r) => logitConfidenceFromLoss(l[r]!));
    const lira = { target: phi(target), refs: refs.map(phi), isIn: isIn.map((m) => m.subarray(0, 6)) };
    expect(v[0]!.scores).toEqual(liraScores(lira, { mode: 'offline', fixedVariance: false, centre: 'median' }));
    expect(v[3]!.scores).toEqual(liraScores(lira, { mode: 'online', fixedVariance: true, centre: 'median' }));
    const py = (rows: number[]) => ({
      target: Float64Array.from(rows, (r) => Math.exp(-target[r]!)),
      refs: refs.map((l) => Float64Array.from(rows, (r) => Math.exp(-l[r]!))),
      isIn: isIn.map((m) => Uint8Array.from(rows, (r) => m[r]!)),
    });
    const population = Array.from({ length: 40 }, (_, j) => 6 + j);
    const opts = { mode: 'online' as const, a: 0.3, gamma: 2, trim: 0.2 };
    expect(v[5]!.scores).toEqual(rmiaScores(py(scored), py(population), opts));
    expect(v[5]!.scores).not.toEqual(rmiaScores(py(scored), py(population), { ...opts, trim: 0 }));
  });
});

describe('the attack kinds pass centre and trim to their scoring', () => {
  /** 12 records of 2 classes (6 candidates, 6 population), 5 reference models each trained on 6 of them. */
  function context(): AttackContext {
    const rng = makeRng(13);
    const n = 12;
    const model = () => ({ logits: Float32Array.from({ length: n * 2 }, () => 2 * rng.normal()), classes: 2 });
    const shadows = Array.from({ length: 5 }, (_, k) => {
      const inIdx = Array.from({ length: n }, (_, r) => r).filter((r) => (r + k) % 2 === 0);
      return { signals: model(), inIdx, outIdx: [] };
    });
    return {
      labels: Int32Array.from({ length: n }, (_, r) => r % 2),
      classes: 2,
      target: model(),
      candidates: [0, 1, 2, 3, 4, 5],
      shadows: new Map([['refs', shadows]]),
      population: [6, 7, 8, 9, 10, 11],
      seed: 0,
    };
  }

  it('lira { centre: median } scores with the median, and the default with the mean', () => {
    const ctx = context();
    const s = { shadows: 'refs', mode: 'online' as const, fixed_variance: false, augmentations: [] };
    const opts = { mode: 'online', fixedVariance: false, augmented: false } as const;
    const byMedian = lira.score(ctx, { ...s, centre: 'median' });
    expect(byMedian).toEqual(liraAttack(ctx, 'refs', { ...opts, centre: 'median' }));
    expect(lira.score(ctx, { ...s, centre: 'mean' })).toEqual(liraAttack(ctx, 'refs', opts));
    expect(byMedian).not.toEqual(liraAttack(ctx, 'refs', opts));
  });

  it('rmia { trim: 20% } scores with the trimmed mean, and the default with the plain mean', () => {
    const ctx = context();
    const s = { shadows: 'refs', mode: 'online', a: 0.3, gamma: 1, population: null, population_size: 1000 } as const;
    const scores = (trim: number) => rmiaAttack(ctx, 'refs', { mode: 'online', a: 0.3, gamma: 1, trim });
    expect(rmia.score(ctx, { ...s, trim: 0.2 })).toEqual(scores(0.2));
    expect(rmia.score(ctx, { ...s, trim: 0 })).toEqual(rmiaAttack(ctx, 'refs', { mode: 'online', a: 0.3, gamma: 1 }));
    expect(scores(0.2)).not.toEqual(scores(0));
  });
});
