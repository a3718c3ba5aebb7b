/**
 * CIFAR-10 and CIFAR-100 binary batches (the "binary version" on the CIFAR page). A CIFAR-10 record is
 * 1 label byte + 3,072 pixel bytes: the red, green and blue planes of 32×32 pixels, each row-major; a
 * CIFAR-100 record has a coarse (20 superclasses) and a fine (100 classes) label byte first. Records
 * become [32, 32, 3] in height-width-channel order, scaled to [0, 1]. A folder is read batch by batch in
 * the standard order (CIFAR-10: data_batch_1..5.bin, test_batch.bin; CIFAR-100: train.bin, test.bin),
 * those that exist; the folder the archive unpacks to (cifar-10-batches-bin, cifar-100-binary) is
 * looked into when the given folder holds no batch itself.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkLabels, DataError, readBytes } from './errors.js';
import { count, type Parsed } from './parsed.js';

export interface CifarOptions {
  /** 10 (the default) or 100. */
  variant?: 10 | 100;
  /** CIFAR-100 only: the 100 fine classes (the default) or the 20 coarse ones. */
  labels?: 'fine' | 'coarse';
  name?: string;
}

const PIXELS = 32 * 32;

/** The batches of a variant in their standard order, and the folder its archive unpacks to. */
export const cifarLayout = (variant: 10 | 100): { batches: string[]; folder: string } =>
  variant === 10
    ? {
        batches: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin'),
        folder: 'cifar-10-batches-bin',
      }
    : { batches: ['train.bin', 'test.bin'], folder: 'cifar-100-binary' };

/** Decodes one batch into `x` (HWC floats) and `y`, starting at record `at`. Returns the batch's record count. */
function decodeBatch(
  buf: Uint8Array,
  file: string,
  opts: Required<Omit<CifarOptions, 'name'>>,
): { x: Float32Array; y: Uint8Array } {
  const head = opts.variant === 10 ? 1 : 2;
  const rec = head + 3 * PIXELS;
  if (buf.length % rec !== 0)
    throw new DataError(
      file,
      `A CIFAR-${opts.variant} batch is a whole number of ${count(rec)}-byte records (10,000 make ${count(10000 * rec)} bytes);` +
        ` this file has ${count(buf.length)}.${opts.variant === 10 && buf.length % (rec + 1) === 0 ? ' It looks like a CIFAR-100 file: say variant 100.' : ''}` +
        `${opts.variant === 100 && buf.length % (rec - 1) === 0 ? ' It looks like a CIFAR-10 batch.' : ''} Is it the Python or MATLAB version? mia reads the binary version.`,
    );
  const n = buf.length / rec;
  const x = new Float32Array(n * 3 * PIXELS);
  const y = new Uint8Array(n);
  const which = opts.variant === 100 && opts.labels === 'fine' ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const o = i * rec;
    y[i] = buf[o + which]!;
    const out = i * 3 * PIXELS;
    for (let ch = 0; ch < 3; ch++) {
      const plane = o + head + ch * PIXELS;
      for (let p = 0; p < PIXELS; p++) x[out + p * 3 + ch] = buf[plane + p]! / 255;
    }
  }
  const classes = opts.variant === 10 ? 10 : opts.labels === 'fine' ? 100 : 20;
  const bad = y.findIndex((v) => v >= classes);
  if (bad >= 0)
    throw new DataError(
      file,
      `Record ${bad} has the label ${y[bad]}, but CIFAR-${opts.variant} has ${classes} classes${opts.variant === 100 ? ` (${opts.labels})` : ''}.`,
      { record: bad },
    );
  return { x, y };
}

/** Parses batches given as bytes, in the order given, into one dataset. */
export function parseCifar(batches: { bytes: Uint8Array; file: string }[], opts: CifarOptions = {}): Parsed {
  const o = { variant: opts.variant ?? 10, labels: opts.labels ?? 'fine' } as const;
  const parts = batches.map((b) => decodeBatch(b.bytes, b.file, o));
  const n = parts.reduce((a, p) => a + p.y.length, 0);
  const x = new Float32Array(n * 3 * PIXELS);
  const y = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * 3 * PIXELS);
    y.set(p.y, at);
    at += p.y.length;
  }
  const classes = o.variant === 10 ? 10 : o.labels === 'fine' ? 100 : 20;
  checkLabels(batches.map((b) => b.file).join(', '), y, classes);
  const name = opts.name ?? `cifar${o.variant}`;
  const files = batches.map((b) => basename(b.file)).join(', ');
  return {
    dataset: { name, x, y, n, shape: [32, 32, 3], classes, kind: 'image' },
    notes: [
      `Read ${count(n)} CIFAR-${o.variant} images from ${files}${o.variant === 100 ? ` (${o.labels} labels)` : ''}.`,
    ],
  };
}

/** Reads the batches of a CIFAR folder that exist (see the file's comment); a folder with none is a DataError listing what it expected. */
export function readCifar(dir: string, opts: CifarOptions = {}): Parsed {
  const variant = opts.variant ?? 10;
  const { batches, folder } = cifarLayout(variant);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new DataError(
      dir,
      `There is no folder here; give the folder that holds the CIFAR-${variant} binary batches.`,
    );
  const present = (d: string): string[] => batches.filter((b) => existsSync(join(d, b)));
  let base = dir;
  if (present(dir).length === 0 && existsSync(join(dir, folder))) base = join(dir, folder);
  const found = present(base);
  if (found.length === 0) {
    const has = readdirSync(dir).slice(0, 8).join(', ');
    throw new DataError(
      dir,
      `The folder holds no CIFAR-${variant} binary batch (${batches.join(', ')}); it holds ${has || 'nothing'}.`,
    );
  }
  const parsed = parseCifar(
    found.map((b) => ({ bytes: readBytes(join(base, b), 'CIFAR batch'), file: join(base, b) })),
    opts,
  );
  const missing = batches.filter((b) => !found.includes(b));
  if (missing.length > 0) parsed.notes.push(`Not found (skipped): ${missing.join(', ')}.`);
  return parsed;
}
