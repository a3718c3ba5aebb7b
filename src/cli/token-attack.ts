/** `mia attack --signals` on a token file: the language-model scores, as the other signals' results. */
import type { SignalsInput } from '../attacks/index.js';
import { type TokenSignals, tokenScores as scores } from '../attacks/token-scores.js';
import { UsageError } from './errors.js';

/** The token file as signals: every sequence scored, the target's per-sequence mean loss (for its utility line). */
export function tokenInput(t: TokenSignals, attacks: readonly string[]): SignalsInput {
  if (attacks.length > 0)
    throw new UsageError(
      'A token signals file runs the language-model scores (loss, zlib, reference, min_k, min_k_plus_plus); leave out --attack.',
    );
  const loss = Float64Array.from(t.logprobs, (lp) => -lp.reduce((s, v) => s + v, 0) / lp.length);
  return { member: t.member, labels: null, target: { kind: 'loss', loss }, references: null };
}

export const tokenScores = (t: TokenSignals): ReturnType<typeof scores> => scores(t);
