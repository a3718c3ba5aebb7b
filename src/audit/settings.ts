/**
 * The settings of the report's `audit { ... }` block as a schema: read by the checker's generic reader,
 * bounded by its rules (setting-bounds), offered by the editor. A new audit setting is one entry here.
 */
import type { Schema } from '../kinds/schema.js';

export const AUDIT_SCHEMA = {
  attacks: {
    type: 'names',
    default: [],
    doc: 'The attacks whose canary scores are audited (every attack when none is named).',
  },
  confidence: {
    type: 'number',
    percent: true,
    bound: 'openFraction',
    default: 0.95,
    hint: 'E.g. 95% or 1e-5.',
    doc: 'The confidence of the ε lower bounds.',
  },
  delta: {
    type: 'number',
    percent: true,
    bound: 'fraction',
    default: 1e-5,
    hint: 'E.g. 1e-5, or 0 for pure DP.',
    doc: 'The δ at which ε is bounded (0 for pure DP).',
  },
  threshold: {
    type: 'numberOrWord',
    options: ['bonferroni', 'split'],
    noun: 'audit threshold',
    default: 'bonferroni',
    doc: 'How the score threshold is chosen: a number, bonferroni (the best, corrected) or split (half the canaries).',
  },
  methods: {
    type: 'names',
    default: [],
    doc: 'The audit methods (every one usable at the δ when none is named).',
  },
} as const satisfies Schema;
