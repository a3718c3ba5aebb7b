/**
 * A target source as a descriptor: how a `target` declaration of that kind is written (for the E190
 * message), its own settings (positional, named) besides the common ones, and how they are read into a
 * TargetDef. A new target source is its file plus one line in ./index.ts.
 */
import type { DataRef, DefenseDef, TargetDef } from '../../../kinds/program.js';
import type { SettingDoc } from '../../../kinds/schema.js';
import type { Range } from '../../../lang/index.js';
import type { ReadContext } from '../context.js';
import type { Param } from '../expr-reader.js';

/** What every kind of target has, read before the kind's own settings. */
export interface TargetCommon {
  name: string;
  members: DataRef;
  nonmembers: DataRef;
  defenses: DefenseDef[];
  file: string;
  range: Range;
}

/** A kind's own settings, read with `need` (required) and `p` (all of them); `common` null when one of those is wrong. */
export type TargetReader = (
  ctx: ReadContext,
  what: string,
  p: Map<string, Param>,
  need: (k: string) => Param | undefined,
  common: TargetCommon | null,
) => TargetDef | undefined;

export interface TargetSource {
  /** The word after `target NAME =` (a bare block `target NAME { ... }` is the source with `bare`). */
  kind: string;
  /** How the E190 message shows it: `remote { url, ... }`. */
  usage: string;
  bare?: true;
  positional: readonly string[];
  /** Its own named settings; the common ones (members, nonmembers, defenses, canaries) are added. */
  named: readonly string[];
  /** Each of its own settings (positional and named) as the editor shows it. */
  docs: Readonly<Record<string, SettingDoc>>;
  read: TargetReader;
  // What the phases ask of a target of this source, instead of testing its kind:
  /** mia trains it from the model declaration its `model` setting names (sweeps, size and model checks apply). */
  trains?: true;
  /** It is an API queried over the network: its own output format and its query budget apply. */
  api?: true;
  /** Its runtime does not answer augmented queries yet: how a message names such targets ("ONNX targets"). */
  noAugmentedQueries?: string;
  /** Why a synthetic dataset cannot hill-climb on it (a full sentence), absent when it can. */
  noHillClimb?: (dataset: string, target: string) => string;
}

export const defineTargetSource = (s: TargetSource): TargetSource => s;

/** The settings every target has. */
export const COMMON = ['members', 'nonmembers', 'defenses', 'canaries'] as const;

/** The settings every target has, as the editor shows them. */
export const COMMON_DOCS: Readonly<Record<(typeof COMMON)[number], SettingDoc>> = {
  members: { type: 'data subset', default: 'required', doc: "The target's training records.", names: 'dataset' },
  nonmembers: {
    type: 'data subset',
    default: 'required',
    doc: 'Records of the same distribution it never trained on.',
    names: 'dataset',
  },
  defenses: {
    type: 'list of defenses',
    default: 'none',
    doc: 'Defenses in training and on what the target releases.',
    items: 'defense',
  },
  canaries: { type: 'block', default: 'none', doc: 'Canary records for a privacy audit.' },
};
