/**
 * Which accountant states DP-SGD's ε: RDP (the default, as TF Privacy and Opacus' default) or the PLD
 * (tighter: privacy loss distributions, as dp_accounting's and Opacus' PRV accountants).
 */
import { pldEpsilon } from './pld.js';
import { AccountantError, type DpSgdSetting, dpSgdEpsilon, noiseForEpsilon, samplingOf } from './rdp.js';

export const ACCOUNTANTS = ['rdp', 'pld'] as const;
export type AccountantName = (typeof ACCOUNTANTS)[number];
export const DEFAULT_ACCOUNTANT: AccountantName = 'rdp';

/** ε at δ of DP-SGD with noise multiplier σ, by the accountant named. */
export function epsilonBy(accountant: AccountantName, s: DpSgdSetting & { noise: number }): number {
  if (accountant === 'rdp') return dpSgdEpsilon(s).epsilon;
  const { q, steps } = samplingOf(s);
  return pldEpsilon({ q, sigma: s.noise, steps, delta: s.delta }).epsilon;
}

/**
 * The least noise multiplier (to a relative 1e-3) whose ε by the accountant does not exceed the target. For
 * the PLD: the RDP's σ reaches it (the PLD's ε is never above the RDP's), so a bisection below it.
 */
export function noiseBy(accountant: AccountantName, s: DpSgdSetting & { epsilon: number }): number {
  const rdp = noiseForEpsilon(s);
  if (accountant === 'rdp') return rdp;
  let lo = rdp / 4;
  let hi = rdp;
  const eps = (noise: number): number => {
    try {
      return epsilonBy('pld', { ...s, noise });
    } catch (e) {
      if (e instanceof AccountantError) return Infinity; // too little noise for a bounded PLD: too little
      throw e;
    }
  };
  while (eps(lo) <= s.epsilon) {
    if (lo < rdp / 64) return lo;
    hi = lo;
    lo /= 2;
  }
  while (hi - lo > 1e-3 * hi) {
    const mid = (lo + hi) / 2;
    if (eps(mid) > s.epsilon) lo = mid;
    else hi = mid;
  }
  return hi;
}
