/** Dropout before every dense layer, as a defense. */
import { defineDefense } from './defense.js';

export const dropout = defineDefense({
  kind: 'dropout',
  summary: 'Dropout in training, before each dense layer.',
  stage: 'training',
  positional: ['rate'],
  settings: { rate: { type: 'number', percent: true, bound: 'fraction', doc: 'The share of units dropped.' } },
});
