/** Releases the predicted label only. */
import { defineDefense } from './defense.js';

export const labelsOnly = defineDefense({
  kind: 'labels_only',
  summary: 'Releases the predicted label only (only label-only attacks can run).',
  stage: 'output',
  settings: {},
  release: () => ({ kind: 'labels' }),
});
