/**
 * `gdp` (Nasr et al. 2023, "Tight auditing of differentially private machine learning"): a μ-GDP mechanism's
 * rules satisfy Φ⁻¹(TPR) − Φ⁻¹(FPR) ≤ μ, so μ̂ = Φ⁻¹(TPR_lb) − Φ⁻¹(FPR_ub) with the Clopper–Pearson bounds of
 * `clopper_pearson` (α/2 each), and ε̂ is the ε that μ̂-GDP implies at δ. Computed as −Φ⁻¹(FNR_ub) − Φ⁻¹(FPR_ub)
 * so that a TPR bound near 1 keeps its digits.
 */
import { rateBounds } from './clopper-pearson.js';
import { gdpEpsilon, PURE_DP_FROM_GDP } from './gaussian-dp.js';
import { normalQuantile } from '../metrics/index.js';
import type { AuditMethod } from './types.js';

export const gdp: AuditMethod = {
  name: 'gdp',
  paper: 'Nasr et al. 2023',
  noPureDp: PURE_DP_FROM_GDP,
  bound(cut, alpha, delta) {
    const { fprUpper, fnrUpper } = rateBounds(cut, alpha);
    const mu = fprUpper >= 1 || fnrUpper >= 1 ? 0 : Math.max(0, -normalQuantile(fnrUpper) - normalQuantile(fprUpper));
    return {
      epsilon: gdpEpsilon(mu, delta),
      details: { mu, tpr_lower: 1 - fnrUpper, fpr_upper: fprUpper },
    };
  },
  guesses: (c) => ({ guesses: c.nIn + c.nOut, correct: c.tp + c.nOut - c.fp }),
};
