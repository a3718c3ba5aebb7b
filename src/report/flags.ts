/**
 * How flagged figures look wherever a table shows them: a mark after the value (`!` for every figure
 * of an attack whose scores are all equal or non-finite, `*` for a TPR at zero false positives) and
 * one line per flag under the table, saying why.
 */
import type { MetricSpec } from '../check/index.js';
import type { MetricFlag, Summary } from '../metrics/index.js';

export const FLAG_MARK = { attack: '!', level: '*' } as const;

const levelFlag = (f: MetricFlag): boolean => f.levels !== undefined;

/** The mark after one metric's value ('' when it is not flagged). */
export function flagMark(s: Summary, m: MetricSpec): string {
  const flags = s.flags ?? [];
  if (flags.some((f) => !levelFlag(f))) return FLAG_MARK.attack;
  if (m.kind === 'tprAtFpr' && flags.some((f) => f.levels?.includes(String(m.fpr)))) return FLAG_MARK.level;
  return '';
}

/**
 * The lines under a table: each attack's own flags, then each distinct TPR-level flag once. Only the
 * levels among `metrics` are said when `metrics` is given (the table shows no others).
 */
export function flagLines(
  attacks: readonly { name: string; metrics: Summary }[],
  metrics?: readonly MetricSpec[],
): string[] {
  const shown = (f: MetricFlag): boolean =>
    !metrics || metrics.some((m) => m.kind === 'tprAtFpr' && f.levels!.includes(String(m.fpr)));
  const own = attacks.flatMap((a) =>
    (a.metrics.flags ?? []).filter((f) => !levelFlag(f)).map((f) => `${FLAG_MARK.attack} ${a.name}: ${f.message}`),
  );
  const levels = attacks.flatMap((a) => (a.metrics.flags ?? []).filter((f) => levelFlag(f) && shown(f)));
  const once = [...new Set(levels.map((f) => `${FLAG_MARK.level} ${f.message}`))];
  return [...own, ...once];
}
