/**
 * `clopper_pearson` (Jagielski, Ullman and Oprea 2020, "Auditing differentially private machine learning: how
 * private is private SGD?"): an (ε, δ)-DP mechanism has TPR ≤ e^ε FPR + δ and TNR ≤ e^ε FNR + δ for every
 * rule, so ε̂ = max(ln((TPR_lb − δ) / FPR_ub), ln((TNR_lb − δ) / FNR_ub)). The rates' bounds are one-sided
 * Clopper–Pearson bounds at α/2 each (the ends of two-sided intervals at 1 − α), so both hold at once with
 * probability ≥ 1 − α; the second ratio uses the same two bounds (TNR_lb = 1 − FPR_ub, FNR_ub = 1 − TPR_lb).
 */
import { clopperPearsonUpper } from './beta-binomial.js';
import type { AuditMethod, Cut } from './types.js';

export function rateBounds(c: Cut, alpha: number): { fprUpper: number; fnrUpper: number } {
  return {
    fprUpper: clopperPearsonUpper(c.fp, c.nOut, alpha / 2),
    fnrUpper: clopperPearsonUpper(c.nIn - c.tp, c.nIn, alpha / 2),
  };
}

const logRatio = (num: number, den: number, delta: number) =>
  num > delta ? Math.log(num - delta) - Math.log(den) : -Infinity;

export const clopperPearson: AuditMethod = {
  name: 'clopper_pearson',
  paper: 'Jagielski et al. 2020',
  bound(cut, alpha, delta) {
    const { fprUpper, fnrUpper } = rateBounds(cut, alpha);
    const forward = logRatio(1 - fnrUpper, fprUpper, delta);
    const reverse = logRatio(1 - fprUpper, fnrUpper, delta);
    return {
      epsilon: Math.max(0, forward, reverse),
      details: { tpr_lower: 1 - fnrUpper, fpr_upper: fprUpper, reverse: reverse > forward ? 1 : 0 },
    };
  },
  guesses: (c) => ({ guesses: c.nIn + c.nOut, correct: c.tp + c.nOut - c.fp }),
};
