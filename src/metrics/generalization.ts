/**
 * Measures of overfitting that predict membership leakage without running an attack.
 */

/** The inputs of `vulnerability`: accuracies in [0, 1], mean losses >= 0 (Infinity allowed). */
export interface VulnerabilityInputs {
  /** Accuracy on the training set (members). */
  readonly accIn: number;
  /** Accuracy on held-out records (non-members). */
  readonly accOut: number;
  /** Mean loss on the training set. */
  readonly lossIn: number;
  /** Mean loss on held-out records. */
  readonly lossOut: number;
}

/**
 * The original thesis's vulnerability score V = ln(2AL / (A + L)), the log of the harmonic mean of
 * the accuracy ratio A = accIn / accOut and the loss ratio L = lossOut / lossIn (natural log).
 * V = 0 when the model does equally well on members and non-members; it grows with overfitting and is
 * negative when the model does better on non-members.
 *
 * Edge cases (the value is computed as ln(2 / (1/A + 1/L)), its limit where a ratio is infinite):
 * - accOut = 0 or lossIn = 0: A or L is undefined (x/0), so null, whatever the other ratio says.
 * - accIn = 0 or lossOut = 0 (with the other ratio defined): the harmonic mean is 0, V = −∞, so null.
 * - lossOut = Infinity with lossIn finite: L = ∞ and V = ln(2A), a number (likewise lossIn = ∞ gives
 *   L = 0, so null; both infinite, null).
 * So the result is always a finite number or null.
 * @throws RangeError if an accuracy is outside [0, 1] or a loss is negative or NaN: those are bugs.
 */
export function vulnerability(inputs: VulnerabilityInputs): number | null {
  const { accIn, accOut, lossIn, lossOut } = inputs;
  requireAccuracy(accIn, 'accIn');
  requireAccuracy(accOut, 'accOut');
  requireLoss(lossIn, 'lossIn');
  requireLoss(lossOut, 'lossOut');
  if (accOut === 0 || lossIn === 0) return null;
  const a = accIn / accOut;
  const l = lossOut / lossIn;
  const v = Math.log(2 / (1 / a + 1 / l));
  return Number.isFinite(v) ? v : null;
}

/**
 * The generalization gap: train accuracy minus test accuracy (positive when the model overfits).
 * @throws RangeError unless both are in [0, 1].
 */
export function generalizationGap(trainAcc: number, testAcc: number): number {
  requireAccuracy(trainAcc, 'trainAcc');
  requireAccuracy(testAcc, 'testAcc');
  return trainAcc - testAcc;
}

function requireAccuracy(x: number, name: string): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} is an accuracy and must be in [0, 1], got ${String(x)}.`);
}

function requireLoss(x: number, name: string): void {
  if (!(x >= 0)) throw new RangeError(`${name} is a mean loss and must be >= 0, got ${String(x)}.`);
}
