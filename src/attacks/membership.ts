/** Which reference models trained on which candidates: the IN/OUT masks LiRA and RMIA need. */
import type { ReferenceModel } from './context.js';

/** For each model, a mask over `records`: 1 where the model trained on that record. */
export function inMasks(models: readonly ReferenceModel[], records: readonly number[]): Uint8Array[] {
  return models.map((m) => {
    const ins = new Set(m.inIdx);
    return Uint8Array.from(records, (r) => (ins.has(r) ? 1 : 0));
  });
}
