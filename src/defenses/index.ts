/** The defense kinds: one descriptor each, in its own file, and one line here (or `registerDefense`). */
import { adversarialRegularization } from './adversarial-regularization.js';
import type { AnyDefense } from './defense.js';
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

const registry = new Map<string, AnyDefense>(BUILT_IN.map((d) => [d.kind, d]));

export function registerDefense<D extends AnyDefense>(d: D): D {
  const known = registry.get(d.kind);
  if (known === d) return d;
  if (known) throw new Error(`A defense "${d.kind}" is already registered.`);
  registry.set(d.kind, d);
  return d;
}

export const defenseKinds = (): AnyDefense[] => [...registry.values()];

/** The descriptor of a checked defense; an unregistered kind here is a bug. */
export function defenseOf(d: { kind: string }): AnyDefense {
  const k = registry.get(d.kind);
  if (!k) throw new Error(`The defense "${d.kind}" is not registered (is its plugin loaded in this thread?).`);
  return k;
}

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
export { applyRelease, releasedRows, stepTransform } from './release.js';
export type { ReleaseTransform } from './defense.js';
