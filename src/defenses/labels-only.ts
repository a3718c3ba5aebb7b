/** Releases the predicted label only: a one-hot row of the largest released probability (ties: the lower class). */
import { defineDefense } from './defense.js';

export const labelsOnly = defineDefense({
  kind: 'labels_only',
  summary: 'Releases the predicted label only (only label-only attacks can run).',
  stage: 'output',
  settings: {},
  release: () => ({
    releases: 'labels',
    apply(p) {
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      const o = new Float64Array(p.length);
      o[best] = 1;
      return o;
    },
  }),
});
