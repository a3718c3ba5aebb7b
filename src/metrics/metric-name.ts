/** Metric names as written in `.mia` files, e.g. `report { metrics [auc, tpr@0.1%] }`. */
import { match } from 'ts-pattern';

/** A metric a report can ask for. */
export type MetricName =
  | { readonly kind: 'auc' }
  | { readonly kind: 'tprAtFpr'; readonly fpr: number }
  | { readonly kind: 'balancedAccuracy' }
  | { readonly kind: 'advantage' }
  | { readonly kind: 'precision' }
  | { readonly kind: 'recall' };

/** The names without a parameter. */
const SIMPLE: Readonly<Record<string, MetricName>> = {
  auc: { kind: 'auc' },
  balanced_accuracy: { kind: 'balancedAccuracy' },
  advantage: { kind: 'advantage' },
  precision: { kind: 'precision' },
  recall: { kind: 'recall' },
};

/** `tpr@` then a percentage in plain decimal notation, e.g. `tpr@0.1%`, `tpr@1%`, `tpr@.5%`. */
const TPR_AT = /^tpr@(\d+(?:\.\d*)?|\.\d+)%$/;

/**
 * Parses a metric name: `auc`, `balanced_accuracy`, `advantage`, `precision`, `recall`, or
 * `tpr@P%` for the TPR at an FPR of P percent (0 <= P <= 100), giving the FPR as a fraction
 * (`tpr@0.1%` gives fpr 0.001, the same number as the literal 0.001). Names are case-sensitive.
 * @returns null for anything else (the checker reports the unknown name).
 */
export function parseMetricName(name: string): MetricName | null {
  if (Object.hasOwn(SIMPLE, name)) return SIMPLE[name] ?? null;
  const m = TPR_AT.exec(name);
  if (m === null) return null;
  // Shifting the decimal point in the text keeps the result the correctly rounded fraction,
  // where dividing by 100 could round twice.
  const fpr = Number(`${m[1]}e-2`);
  return fpr <= 1 ? { kind: 'tprAtFpr', fpr } : null;
}

/** Writes a metric name as `.mia` source; `parseMetricName(formatMetricName(m))` gives back `m`. */
export function formatMetricName(metric: MetricName): string {
  return match(metric)
    .with({ kind: 'auc' }, () => 'auc')
    .with({ kind: 'tprAtFpr' }, ({ fpr }) => `tpr@${percent(fpr)}%`)
    .with({ kind: 'balancedAccuracy' }, () => 'balanced_accuracy')
    .with({ kind: 'advantage' }, () => 'advantage')
    .with({ kind: 'precision' }, () => 'precision')
    .with({ kind: 'recall' }, () => 'recall')
    .exhaustive();
}

/**
 * 100·fpr in plain decimal notation. Shifting the decimal point of the shortest text of `fpr`
 * (rather than multiplying, which rounds) makes the text parse back to exactly `fpr`.
 */
function percent(fpr: number): string {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(fpr));
  if (m === null) throw new RangeError(`Cannot write the FPR ${String(fpr)} as a percentage.`);
  const whole = m[1] ?? '';
  const digits = whole + (m[2] ?? '');
  const point = whole.length + Number(m[3] ?? '0') + 2; // where the decimal point goes in `digits`
  const text =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return trimmed.replace(/^0+(?=\d)/, '');
}
