/** MNIST-style IDX files (gzipped or not): an image file and a label file, relative to the spec. */
import { parseIdxPair } from '../formats/idx.js';
import { defineSource, normalize, type SourceContext } from '../source.js';
import { factsFrom, loadFrom, type ParseRequest, pathIn } from './parsed-source.js';
import type { SettingsOf } from '../../kinds/schema.js';

const settings = {
  images: { type: 'string', doc: 'The image file (idx3-ubyte).' },
  labels: { type: 'string', doc: 'The label file (idx1-ubyte).' },
  normalize: normalize('none'),
} as const;

function idxRequest(s: SettingsOf<typeof settings>, ctx: SourceContext): ParseRequest {
  const [im, lb] = [pathIn(ctx, s.images), pathIn(ctx, s.labels)];
  return {
    format: 'idx',
    files: [im, lb],
    options: {},
    normalize: s.normalize,
    parse: ([a, b]) => parseIdxPair({ bytes: a!, file: im }, { bytes: b!, file: lb }),
  };
}

export const idx = defineSource({
  kind: 'idx',
  summary: 'IDX image and label files (the format of the full MNIST and Fashion-MNIST), gzipped or not.',
  positional: ['images', 'labels'],
  settings,
  modality: () => 'image',
  load: (s, ctx) => loadFrom(idxRequest(s, ctx), ctx),
  facts: (s, ctx) => factsFrom(idxRequest(s, ctx), ctx),
});
