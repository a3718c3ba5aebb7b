/** Threshold rules over canary scores and the way one is chosen (given, Bonferroni over all, split half). */
import { match } from 'ts-pattern';
import { makeRng, shuffled } from '../util/rng.js';
import type { AuditMethod, AuditOptions, AuditResult, Bound, CanaryScores, Cut } from './types.js';

/** A user's mistake in the scores (empty, not finite) or the options; the CLI says it with the file's name. */
export class AuditInputError extends Error {}

export function validateScores(s: CanaryScores): void {
  for (const side of ['in', 'out'] as const) {
    const xs = s[side];
    if (xs.length === 0) throw new AuditInputError(`"${side}" has no scores; give at least one ${side} canary.`);
    const bad = xs.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x));
    if (bad >= 0)
      throw new AuditInputError(
        `${side}[${bad}] is ${JSON.stringify(xs[bad]) ?? String(xs[bad])}, not a finite number.`,
      );
  }
}

export function validateOptions(o: AuditOptions): void {
  if (!(o.delta >= 0 && o.delta < 1)) throw new AuditInputError(`delta ${o.delta} is not in [0, 1).`);
  if (!(o.confidence > 0 && o.confidence < 1))
    throw new AuditInputError(`confidence ${o.confidence} is not in (0, 1).`);
  if (o.threshold.kind === 'given' && !Number.isFinite(o.threshold.threshold))
    throw new AuditInputError(`threshold ${o.threshold.threshold} is not a finite number.`);
}

/** The rule at one threshold. */
export function cutAt(s: CanaryScores, threshold: number): Cut {
  let tp = 0,
    fp = 0;
  for (const x of s.in) if (x >= threshold) tp++;
  for (const x of s.out) if (x >= threshold) fp++;
  return { threshold, tp, fp, nIn: s.in.length, nOut: s.out.length };
}

/** The rules at every distinct score (at most one per canary), from the highest threshold down. */
export function allCuts(s: CanaryScores): Cut[] {
  const tagged = [...s.in.map((x) => [x, 1] as const), ...s.out.map((x) => [x, 0] as const)];
  tagged.sort((a, b) => b[0] - a[0]);
  const cuts: Cut[] = [];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < tagged.length; i++) {
    const [x, isIn] = tagged[i]!;
    if (isIn) tp++;
    else fp++;
    if (i + 1 === tagged.length || tagged[i + 1]![0] !== x)
      cuts.push({ threshold: x, tp, fp, nIn: s.in.length, nOut: s.out.length });
  }
  return cuts;
}

interface Best {
  cut: Cut | null;
  bound: Bound;
}

/** The cut with the largest ε̂ at `alpha`, trying the most precise rules first so that floors prune early. */
function bestCut(m: AuditMethod, s: CanaryScores, alpha: number, delta: number): Best {
  const cuts = allCuts(s).sort((a, b) => (b.tp + 1) / (b.tp + b.fp + 2) - (a.tp + 1) / (a.tp + a.fp + 2));
  let best: Best = { cut: null, bound: { epsilon: 0, details: {} } };
  for (const cut of cuts) {
    const bound = m.bound(cut, alpha, delta, best.bound.epsilon);
    if (bound.epsilon > best.bound.epsilon) best = { cut, bound };
  }
  return best;
}

/** A seeded random half of the in and of the out canaries (rounded down), and the rest. */
export function splitHalves(s: CanaryScores, seed: number): [CanaryScores, CanaryScores] {
  const rng = makeRng(seed);
  const a = shuffled(s.in, rng),
    b = shuffled(s.out, rng);
  const hi = a.length >> 1,
    ho = b.length >> 1;
  return [
    { in: a.slice(0, hi), out: b.slice(0, ho) },
    { in: a.slice(hi), out: b.slice(ho) },
  ];
}

/** ε̂ of one method on the scores, its threshold chosen as the options say. */
export function auditWith(m: AuditMethod, s: CanaryScores, o: AuditOptions): AuditResult {
  validateScores(s);
  validateOptions(o);
  if (o.delta === 0 && m.noPureDp)
    throw new AuditInputError(`${m.name} has no δ = 0 form: ${m.noPureDp} Give δ > 0 or leave it out.`);
  const alpha = 1 - o.confidence;
  const { cut, bound, extra, on } = match(o.threshold)
    .with({ kind: 'given' }, ({ threshold }) => {
      const cut = cutAt(s, threshold);
      return { cut, bound: m.bound(cut, alpha, o.delta, 0), extra: {}, on: s };
    })
    .with({ kind: 'bonferroni' }, () => {
      const tests = s.in.length + s.out.length;
      return { ...bestCut(m, s, alpha / tests, o.delta), extra: { tests }, on: s };
    })
    .with({ kind: 'split' }, ({ seed }) => {
      const [choose, measure] = splitHalves(s, seed);
      const sizes = { chosen_on: choose.in.length + choose.out.length };
      const picked = choose.in.length && choose.out.length ? bestCut(m, choose, alpha, o.delta).cut : null;
      if (!picked || !measure.in.length || !measure.out.length)
        return { cut: null, bound: { epsilon: 0, details: {} }, extra: sizes, on: measure };
      const cut = cutAt(measure, picked.threshold);
      return { cut, bound: m.bound(cut, alpha, o.delta, 0), extra: sizes, on: measure };
    })
    .exhaustive();
  const g = cut ? m.guesses(cut) : { guesses: 0, correct: 0 };
  return {
    method: m.name,
    epsilon: bound.epsilon,
    threshold: cut ? cut.threshold : null,
    counts: { in: on.in.length, out: on.out.length, ...g },
    details: { ...bound.details, ...extra },
  };
}
