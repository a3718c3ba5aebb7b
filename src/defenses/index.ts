/** The defense kinds: one descriptor each, in its own file, and one line here (or `registerDefense`). */
import { adversarialRegularization } from './adversarial-regularization.js';
import type { AnyDefense } from './defense.js';
import { makeRegistry } from '../kinds/registry.js';
import { dpSgd } from './dp-sgd.js';
import { dropout } from './dropout.js';
import { earlyStopping } from './early-stopping.js';
import { gaussianNoise } from './gaussian-noise.js';
import { l2 } from './l2.js';
import { labelSmoothing } from './label-smoothing.js';
import { labelsOnly } from './labels-only.js';
import { memguard } from './memguard.js';
import { rounding } from './rounding.js';
import { topK } from './top-k.js';

const BUILT_IN: readonly AnyDefense[] = [
  dpSgd,
  l2,
  dropout,
  earlyStopping,
  labelSmoothing,
  topK,
  rounding,
  labelsOnly,
  gaussianNoise,
  memguard,
  adversarialRegularization,
];

const defenses = makeRegistry<AnyDefense>('defense', BUILT_IN);

/** Adds a defense kind; one of the same name already registered is an error. */
export const registerDefense = defenses.register;

export const defenseKinds = defenses.all;

/** The descriptor of a checked defense; an unregistered kind here is a bug. */
export const defenseOf = defenses.of;

export { AccountantError } from './accountant/rdp.js';
export {
  defineDefense,
  type AnyDefense,
  type DefenseDescriptor,
  type DefenseCheck,
  type DefenseStage,
  type OutputHook,
  type PerturbInput,
  type PrivacyRecord,
  type TrainerInput,
  type TrainingHook,
} from './defense.js';
export { applyRelease, releasedRows, stepTransform } from './apply-release.js';
export type { ReleaseTransform } from './defense.js';
