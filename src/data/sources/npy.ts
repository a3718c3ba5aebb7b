/** NumPy arrays: a features file (records × features, or records × height × width [× channels]) and a labels file. */
import { parseNpyDataset } from '../formats/npy.js';
import { defineSource, normalize, type SourceContext } from '../source.js';
import { factsFrom, loadFrom, type ParseRequest, pathIn } from './parsed-source.js';
import type { SettingsOf } from '../../kinds/schema.js';

const settings = {
  features: { type: 'string', doc: 'The features file, relative to the spec.' },
  labels: { type: 'string', doc: 'The labels file, relative to the spec.' },
  image: {
    type: 'boolean',
    default: false,
    doc: 'Whether records are images (features of shape records × height × width [× channels]); set from the shape.',
  },
  normalize: normalize('standard'),
} as const;

function npyRequest(s: SettingsOf<typeof settings>, ctx: SourceContext): ParseRequest {
  const [fx, fy] = [pathIn(ctx, s.features), pathIn(ctx, s.labels)];
  return {
    format: 'npy',
    files: [fx, fy],
    options: {},
    normalize: s.normalize,
    parse: ([a, b]) => parseNpyDataset({ bytes: a!, file: fx }, { bytes: b!, file: fy }),
  };
}

export const npy = defineSource({
  kind: 'npy',
  summary: 'NumPy .npy arrays: features (records × features, or images) and labels (class indices).',
  positional: ['features', 'labels'],
  settings,
  modality: (s) => (s.image ? 'image' : 'tabular'),
  load: (s, ctx) => loadFrom(npyRequest(s, ctx), ctx),
  facts: (s, ctx) => factsFrom(npyRequest(s, ctx), ctx),
});
