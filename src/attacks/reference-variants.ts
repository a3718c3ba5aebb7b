/**
 * Scoring with reference models on precomputed signals (`mia attack --signals`), record by record: every
 * record a mode can score is scored, the others (by the file's record index) are left out of that mode's
 * variants and a note says which and why. Offline modes need an OUT model for each record; online modes
 * may also need an IN model (`onlineNeedsIn`). Population records that a mode cannot use are left out of
 * z, with a note. Each attack kind supplies its name and how it scores the kept rows.
 */
import type { ScoredVariant, SignalsEnv } from './signals-input.js';

export type ReferenceMode = 'offline' | 'online';

/** The settings every reference-model attack (LiRA, RMIA) opens with: its models, and online or offline. */
export const REFERENCE_SETTINGS = {
  shadows: { type: 'shadows', doc: 'The reference models.' },
  mode: {
    type: 'enum',
    options: ['online', 'offline'],
    default: 'offline',
    doc: 'online: models with and without each record (needs sampling half); offline: without only.',
  },
} as const;

export interface ReferenceScoring {
  /** The attack kind (for messages and the variants' kind). */
  kind: string;
  /** Whether online scoring needs every record to be IN some reference model as well as OUT of some. */
  onlineNeedsIn: boolean;
  /** Whether the attack uses population records z (which must have OUT models too). */
  usesPopulation: boolean;
  /** The variants of one mode on the kept scored rows and the usable population rows. */
  score(mode: ReferenceMode, rows: readonly number[], population: readonly number[]): Omit<ScoredVariant, 'kind'>[];
}

const listed = (rows: readonly number[]): string =>
  `${rows.slice(0, 10).join(', ')}${rows.length > 10 ? `, … (${rows.length - 10} more)` : ''}`;

function unscorable(
  mode: ReferenceMode,
  onlineNeedsIn: boolean,
  inCount: (r: number) => number,
  models: number,
): { test: (r: number) => boolean; why: string } {
  if (mode === 'offline')
    return { test: (r) => inCount(r) === models, why: "in every reference model's training set (no OUT model)" };
  if (onlineNeedsIn)
    return {
      test: (r) => inCount(r) === 0 || inCount(r) === models,
      why: "in every reference model's training set or in none (the online mode needs IN and OUT models)",
    };
  return { test: () => false, why: '' };
}

export function referenceVariants(env: SignalsEnv, s: ReferenceScoring): ScoredVariant[] {
  const refs = env.input.references;
  if (!refs || refs.models.length === 0) {
    env.skip('no reference models.');
    return [];
  }
  if (s.usesPopulation && env.population.length === 0) {
    env.skip('no population records z (member −1).');
    return [];
  }
  const counts = new Int32Array(env.input.member.length);
  for (const m of refs.isIn) for (let r = 0; r < counts.length; r++) counts[r]! += m[r] === 1 ? 1 : 0;
  const inCount = (r: number): number => counts[r]!;
  const models = refs.models.length;
  const out: ScoredVariant[] = [];
  const modeNotes: string[] = [];
  for (const mode of ['offline', 'online'] as const) {
    const bad = unscorable(mode, s.onlineNeedsIn, inCount, models);
    const keep = env.scored.filter((r) => !bad.test(r));
    const dropped = env.scored.filter((r) => bad.test(r));
    if (mode === 'online' && !keep.some((r) => inCount(r) > 0)) {
      // Without IN models online is offline under another name (RMIA: offline with a = 1): not reported.
      modeNotes.push(
        `${s.kind} online needs IN models, but no scored record is in any reference model's training set (it would be offline ${s.kind} under the online name).`,
      );
      continue;
    }
    if (new Set(keep.map((r) => env.input.member[r])).size < 2) {
      modeNotes.push(`${s.kind} ${mode} cannot score enough records: records ${listed(dropped)} are ${bad.why}.`);
      continue;
    }
    const pop = s.usesPopulation ? env.population.filter((r) => !bad.test(r)) : [];
    if (s.usesPopulation && pop.length === 0) {
      modeNotes.push(`${s.kind} ${mode} has no usable population record: every one is ${bad.why}.`);
      continue;
    }
    if (dropped.length)
      env.note(
        `${s.kind} ${mode}: ${dropped.length} of ${env.scored.length} scored records could not be scored and are left out of its metrics (${bad.why}): records ${listed(dropped)}.`,
      );
    if (s.usesPopulation && env.population.length > pop.length)
      env.note(
        `${s.kind} ${mode}: ${env.population.length - pop.length} population records are ${bad.why} and are not used as z.`,
      );
    const extra =
      dropped.length > 0
        ? { records: keep, excluded: { records: dropped, reason: `${bad.why}; left out of this variant's metrics` } }
        : {};
    for (const v of s.score(mode, keep, pop)) out.push({ ...v, kind: s.kind, ...extra });
  }
  if (out.length === 0) env.skip(modeNotes.join(' '));
  else for (const n of modeNotes) env.note(`${n} That mode is skipped.`);
  return out;
}
