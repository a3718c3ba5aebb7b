/**
 * The signals file of `mia attack --signals FILE` (README, "Bring your own signals"), defined once with zod:
 * readSignalsFile checks a file against it first (one line naming the first wrong field), and `npm run build`
 * publishes it as dist/schemas/signals.schema.json. Shapes (records × classes, models × records) and values
 * (finite, 0/1/−1) are checked after, where the arrays are read.
 */
import { z } from 'zod';

/**
 * An array given inline (nested lists of numbers or booleans) or as the path of a .npy file, relative to the
 * signals file. Inline arrays are read entry by entry once, where they are flattened (a wrong entry is named
 * there); here only their outer form, so millions of entries are not walked twice.
 */
export const INLINE_ARRAY = z.custom<unknown[]>((v) => Array.isArray(v));
export const SIGNALS_ARRAY = z.union([z.string(), INLINE_ARRAY]);

const model = { logits: SIGNALS_ARRAY.optional(), loss: SIGNALS_ARRAY.optional() };

export const SIGNALS_FILE = z.strictObject({
  /** Free for the exporter (a version, a tool's name); mia does not read it. */
  format: z.unknown().optional(),
  /** Per record: 1 member, 0 non-member (both scored), −1 a population record only. */
  member: SIGNALS_ARRAY,
  /** The true classes; needed with logits. */
  labels: SIGNALS_ARRAY.optional(),
  /** The target's logits [records, classes] or losses −log p_y [records]: exactly one. */
  target: z.strictObject(model),
  /** Reference models: logits [models, records, classes] or losses [models, records], and `in` [models, records]. */
  references: z.strictObject({ ...model, in: SIGNALS_ARRAY }).optional(),
});
export type SignalsFile = z.infer<typeof SIGNALS_FILE>;

/** The nested lists of an inline array, for the JSON Schema. */
export const NESTED_NUMBERS = {
  $defs: {
    nested: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'boolean' }, { $ref: '#/$defs/nested' }] } },
  },
};
