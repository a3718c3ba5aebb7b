/**
 * The IDX format of MNIST (and Fashion-MNIST, EMNIST), gzipped or not (detected by the gzip magic
 * 1f 8b): a big-endian header `00 00 08 D` (unsigned bytes, D dimensions), D u32 sizes, then the bytes.
 * Images [n, rows, cols] become records [rows, cols, 1] scaled to [0, 1]; labels [n] are class indices.
 */
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkLabels, DataError, readBytes } from './errors.js';
import { count, type Parsed } from './parsed.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Decompresses when gzipped; a broken gzip stream is a DataError. */
export function gunzipIfNeeded(buf: Uint8Array, file: string): Uint8Array {
  if (buf.length < 2 || buf[0] !== 0x1f || buf[1] !== 0x8b) return buf;
  try {
    return gunzipSync(buf);
  } catch (e) {
    throw new DataError(
      file,
      `The file looks gzipped but does not decompress (${(e as Error).message}); download it again.`,
    );
  }
}

/** IDX type bytes other than 0x08, for the message. */
const TYPES = new Map([
  [0x09, 'signed byte'],
  [0x0b, 'short'],
  [0x0c, 'int'],
  [0x0d, 'float'],
  [0x0e, 'double'],
]);

/** Parses one IDX file of unsigned bytes. */
export function parseIdx(input: Uint8Array, file: string): IdxArray {
  const buf = gunzipIfNeeded(input, file);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0)
    throw new DataError(
      file,
      `This is not an IDX file: it starts with ${[...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}, not 00 00 08.`,
    );
  if (buf[2] !== 0x08)
    throw new DataError(
      file,
      `The IDX file holds ${TYPES.get(buf[2]!) ?? `type 0x${buf[2]!.toString(16)}`} values; mia reads unsigned bytes (type 0x08), as MNIST ships.`,
    );
  const d = buf[3]!;
  if (d < 1 || buf.length < 4 + 4 * d)
    throw new DataError(file, 'The IDX header is truncated; download the file again.');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims = Array.from({ length: d }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * d;
  if (buf.length - start < size)
    throw new DataError(
      file,
      `The IDX file is truncated: its header promises ${count(size)} bytes of data (${dims.join(' × ')}) but it holds ${count(buf.length - start)}. Download it again.`,
    );
  if (buf.length - start > size)
    throw new DataError(
      file,
      `The IDX file has ${count(buf.length - start - size)} bytes more than its header (${dims.join(' × ')}) promises.`,
    );
  return { dims, data: buf.subarray(start, start + size) };
}

export interface IdxOptions {
  /** The image size the experiment expects, [rows, cols]; any size when absent. */
  expect?: [number, number];
  name?: string;
}

/** An image file and a label file (as bytes) → a dataset of [rows, cols, 1] images in [0, 1]. */
export function parseIdxPair(
  images: { bytes: Uint8Array; file: string },
  labels: { bytes: Uint8Array; file: string },
  opts: IdxOptions = {},
): Parsed {
  const im = parseIdx(images.bytes, images.file);
  const lb = parseIdx(labels.bytes, labels.file);
  if (im.dims.length !== 3)
    throw new DataError(
      images.file,
      `An IDX image file has 3 dimensions (images, rows, columns); this one has [${im.dims.join(', ')}].`,
    );
  if (lb.dims.length !== 1)
    throw new DataError(
      labels.file,
      `An IDX label file has 1 dimension; this one has [${lb.dims.join(', ')}]. Are images and labels swapped?`,
    );
  const [n, rows, cols] = im.dims as [number, number, number];
  if (rows === 0 || cols === 0)
    throw new DataError(images.file, `The images are ${rows}×${cols} pixels: the records would have no feature.`);
  if (opts.expect && (opts.expect[0] !== rows || opts.expect[1] !== cols))
    throw new DataError(
      images.file,
      `The images are ${rows}×${cols} but ${opts.expect[0]}×${opts.expect[1]} are expected.`,
    );
  if (lb.dims[0] !== n)
    throw new DataError(
      labels.file,
      `There are ${count(lb.dims[0]!)} labels for ${count(n)} images in ${images.file}; they must match.`,
    );
  const classes = checkLabels(labels.file, lb.data);
  const x = new Float32Array(im.data.length);
  for (let i = 0; i < x.length; i++) x[i] = im.data[i]! / 255;
  const name = opts.name ?? basename(images.file).replace(/[.-].*$/, '');
  return {
    dataset: { name, x, y: Int32Array.from(lb.data), n, shape: [rows, cols, 1], classes, kind: 'image' },
    notes: [`Read ${count(n)} images of ${rows}×${cols} pixels, ${classes} classes.`],
  };
}

/** Reads an image file and a label file (paths). */
export const readIdx = (imagesPath: string, labelsPath: string, opts: IdxOptions = {}): Parsed =>
  parseIdxPair(
    { bytes: readBytes(imagesPath, 'IDX image file'), file: imagesPath },
    { bytes: readBytes(labelsPath, 'IDX label file'), file: labelsPath },
    opts,
  );
