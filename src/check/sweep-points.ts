/**
 * The rules again at every point of a sweep: `refs.count in [1, 2]` sets a count the declaration does
 * not hold, so a warning or error that holds at one point only (W301 "a single shadow model" at the
 * point with 1, a pool too small for the largest size) is reported for that point, at the sweep axis.
 */
import type { Diagnostic } from '../lang/index.js';
import { Locations } from './locations.js';
import type { TypedProgram } from '../kinds/program.js';
import { makeContext, rules, type RuleContext } from './rules/index.js';
import { applySweepPoint, sweepPoints } from './sweep.js';

/** Points checked at most (a grid can be large; the rules are cheap but not free). */
const MAX_POINTS = 256;

/** Places of `from`'s objects given to the same objects of its structural copy `to`. */
function alias(loc: Locations, out: Locations, from: unknown, to: unknown, depth = 0): void {
  if (depth > 12 || typeof from !== 'object' || from === null || typeof to !== 'object' || to === null) return;
  const place = loc.of(from);
  if (place) out.put(to, place.file, place.range, loc.fieldsOf(from));
  for (const [k, v] of Object.entries(from)) alias(loc, out, v, (to as Record<string, unknown>)[k], depth + 1);
}

type Base = Omit<RuleContext, 'error' | 'warn' | 'program' | 'loc'>;

export function checkSweepPoints(
  program: TypedProgram,
  loc: Locations,
  base: Base,
  known: readonly Diagnostic[],
): Diagnostic[] {
  if (program.sweep.length === 0) return [];
  const key = (d: Diagnostic): string => `${d.code} ${d.file} ${d.range.start.offset} ${d.message}`;
  const seen = new Set(known.map(key));
  const found = new Map<string, { d: Diagnostic; points: string[] }>();
  for (const point of sweepPoints(program, MAX_POINTS)) {
    const q = applySweepPoint(program, point);
    const ploc = new Locations();
    alias(loc, ploc, program, q);
    const ds: Diagnostic[] = [];
    for (const rule of rules) rule.run(makeContext({ ...base, program: q, loc: ploc }, ds));
    const label = point.map((a) => `${a.path.join('.')} = ${a.value}`).join(', ');
    for (const d of ds) {
      const k = key(d);
      if (seen.has(k)) continue;
      const f = found.get(k) ?? { d, points: [] };
      f.points.push(label);
      found.set(k, f);
    }
  }
  return [...found.values()].map(({ d, points }) => ({
    ...d,
    message: `At the sweep point${points.length > 1 ? 's' : ''} ${points.join('; ')}: ${d.message}`,
  }));
}
