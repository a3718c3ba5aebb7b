/** What max_pool and avg_pool share: a window of `size` (2 by default), `stride` (its size by default). */
import type { LayerDef } from '../../kinds/program.js';
import { LIMITS } from '../../kinds/size-limits.js';
import { type LayerSetting, num, outSize, type Window } from './layer.js';

export const POOL_SETTINGS: Readonly<Record<string, LayerSetting>> = {
  size: {
    type: 'number',
    integer: true,
    default: 2,
    bound: 'atLeast1',
    limit: { max: LIMITS.kernel, label: 'pool size' },
    doc: 'The window size (square).',
  },
  stride: {
    type: 'number',
    integer: true,
    defaultFrom: 'size',
    bound: 'atLeast1',
    doc: 'The stride (the size when absent).',
  },
};

export const poolWindow = (l: LayerDef): Window => ({
  size: num(l, 'size'),
  stride: num(l, 'stride'),
  padding: 'valid',
});

export const poolShape = (l: LayerDef, [h = 1, w = 1, c = 1]: readonly number[]): number[] => [
  outSize(h, poolWindow(l)),
  outSize(w, poolWindow(l)),
  c,
];
