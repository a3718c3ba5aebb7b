/** The rules, run in this order in one pass over the draft program. Add a rule here and in its own file. */
import { attackSettings } from './attack-settings.js';
import { auditCanaries } from './audit-canaries.js';
import { augmentationData } from './augmentation-data.js';
import { convOnTabular } from './conv-on-tabular.js';
import { halfSampling } from './half-sampling.js';
import { knownNames } from './known-names.js';
import { expectations } from './expectations.js';
import { limits } from './size-limits.js';
import { membersOverlap } from './members-overlap.js';
import { membershipSubsets } from './membership-subsets.js';
import { modelSizeRule } from './model-size.js';
import { needsProbabilities } from './needs-probabilities.js';
import { onlineNeedsHalf } from './online-needs-half.js';
import { positiveSettings } from './positive-settings.js';
import { rangeSettings } from './range-settings.js';
import { releaseOrder } from './release-order.js';
import { requiredDeclarations } from './required-declarations.js';
import type { Rule } from './rule.js';
import { settingBounds } from './setting-bounds.js';
import { shadowPoolSize } from './shadow-pool-size.js';
import { slices } from './slices.js';
import { syntheticPool } from './synthetic-pool.js';
import { takesFit } from './takes-fit.js';
import { tprLevel } from './tpr-level.js';
import { uniqueNames } from './unique-names.js';

export const rules: readonly Rule[] = [
  uniqueNames,
  requiredDeclarations,
  knownNames,
  positiveSettings,
  rangeSettings,
  limits,
  settingBounds,
  tprLevel,
  takesFit,
  membershipSubsets,
  shadowPoolSize,
  halfSampling,
  expectations,
  slices,
  onlineNeedsHalf,
  syntheticPool,
  attackSettings,
  augmentationData,
  convOnTabular,
  modelSizeRule,
  membersOverlap,
  needsProbabilities,
  releaseOrder,
  auditCanaries,
];

export { makeContext, type Rule, type RuleContext } from './rule.js';
