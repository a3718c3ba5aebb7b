/**
 * CIFAR-10 in its binary version: the folder (relative to the spec) holding data_batch_1..5.bin and
 * test_batch.bin, or the folder holding cifar-10-batches-bin/. The batches found are read in order.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cifarLayout, parseCifar, readCifar } from '../formats/cifar.js';
import { defineSource, normalize, type SourceContext } from '../source.js';
import { factsFrom, loadFrom, type ParseRequest, pathIn } from './parsed-source.js';
import type { SettingsOf } from '../../kinds/schema.js';

/** The batch files present under `dir` (readCifar's error when there are none). */
function batchFiles(dir: string): string[] {
  const { batches, folder } = cifarLayout(10);
  const present = (d: string): string[] => batches.filter((b) => existsSync(join(d, b))).map((b) => join(d, b));
  const isDir = existsSync(dir) && statSync(dir).isDirectory();
  const found = !isDir ? [] : present(dir).length > 0 ? present(dir) : present(join(dir, folder));
  if (found.length === 0) readCifar(dir); // throws the DataError saying what the folder holds
  return found;
}

const settings = {
  dir: { type: 'string', doc: 'The folder, relative to the spec.' },
  normalize: normalize('none'),
} as const;

function cifarRequest(s: SettingsOf<typeof settings>, ctx: SourceContext): ParseRequest {
  const files = batchFiles(pathIn(ctx, s.dir));
  return {
    format: 'cifar10',
    files,
    options: {},
    normalize: s.normalize,
    parse: (bytes) =>
      parseCifar(
        bytes.map((b, i) => ({ bytes: b, file: files[i]! })),
        { variant: 10 },
      ),
  };
}

export const cifar10 = defineSource({
  kind: 'cifar10',
  summary: 'CIFAR-10, binary version: the folder holding its data_batch_*.bin (and test_batch.bin) files.',
  positional: ['dir'],
  settings,
  shape: () => ({ dims: [32, 32, 3], classes: 10 }),
  modality: () => 'image',
  load: (s, ctx) => loadFrom(cifarRequest(s, ctx), ctx),
  facts: (s, ctx) => factsFrom(cifarRequest(s, ctx), ctx),
});
