/**
 * The IDX format of MNIST (and Fashion-MNIST, EMNIST), gzipped or not (detected by the gzip magic
 * 1f 8b): a big-endian header `00 00 08 D` (unsigned bytes, D dimensions), D u32 sizes, then the bytes.
 * Images [n, rows, cols] become records [rows, cols, 1] scaled to [0, 1]; labels [n] are class indices.
 */
import { basename } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { bytesText, FILE_LIMIT } from '../../util/user-file.js';
import { checkDatasetSize, checkLabels, DataError, readBytes } from './errors.js';
import { count, type Parsed } from './parsed.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const isGzip = (buf: Uint8Array): boolean => buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;

/** The most bytes an IDX file may inflate to, whatever its header declares. */
export const IDX_INFLATE_LIMIT = FILE_LIMIT;
/** The most bytes inflated while looking for the header. */
const PROBE = 1 << 20;
/** The longest IDX header: 4 bytes and 255 sizes. */
const HEAD = 4 + 4 * 255;

/** A broken gzip stream as a DataError. */
const broken = (file: string, e: unknown): DataError =>
  new DataError(file, `The file looks gzipped but does not decompress (${(e as Error).message}); download it again.`);

/**
 * The first bytes a gzip stream inflates to (at least HEAD of them, or all there are), never inflating
 * more than PROBE bytes: prefixes of the compressed bytes are inflated, growing, then bisected when one
 * inflates past PROBE (a bomb's first kilobytes can inflate to megabytes).
 */
function gunzipHead(buf: Uint8Array, file: string): Uint8Array {
  const probe = (len: number): Uint8Array | null => {
    try {
      const finishFlush = len < buf.length ? zlibConstants.Z_SYNC_FLUSH : zlibConstants.Z_FINISH;
      return gunzipSync(buf.subarray(0, len), { finishFlush, maxOutputLength: PROBE });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return null;
      if (len >= buf.length) throw broken(file, e);
      return new Uint8Array(0); // the prefix ends inside the gzip header
    }
  };
  let lo = 0; // a prefix inflating to fewer than HEAD bytes
  let hi = Number.POSITIVE_INFINITY; // a prefix inflating past PROBE
  let len = Math.min(256, buf.length);
  for (;;) {
    const out = probe(len);
    if (out && (out.length >= HEAD || len >= buf.length)) return out;
    if (out) lo = len;
    else hi = len;
    if (hi - lo <= 1) return probe(lo) ?? new Uint8Array(0);
    len = hi === Number.POSITIVE_INFINITY ? Math.min(len * 4, buf.length) : Math.floor((lo + hi) / 2);
  }
}

/** Inflates a gzip stream, stopping (a DataError) as soon as it passes the `declared` bytes of its header. */
function gunzipAtMost(buf: Uint8Array, file: string, declared: number, dims: number[]): Uint8Array {
  try {
    return gunzipSync(buf, { maxOutputLength: Math.max(declared, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw broken(file, e);
    throw new DataError(
      file,
      `The file inflates to more than the ${count(declared)} bytes its IDX header (${dims.join(' × ')}) declares; it was not inflated further. Download it again.`,
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

/** The dimensions of an IDX file from its first bytes, and where its data starts. */
function idxHeader(buf: Uint8Array, file: string): { dims: number[]; start: number } {
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
  return { dims: Array.from({ length: d }, (_, i) => view.getUint32(4 + 4 * i, false)), start: 4 + 4 * d };
}

/**
 * Parses one IDX file of unsigned bytes, gzipped or not. A gzipped one is inflated only after its header
 * is read, and never past the size the header declares nor past IDX_INFLATE_LIMIT.
 */
export function parseIdx(input: Uint8Array, file: string): IdxArray {
  const gz = isGzip(input);
  const { dims, start } = idxHeader(gz ? gunzipHead(input, file) : input, file);
  const size = dims.reduce((a, b) => a * b, 1);
  if (start + size > IDX_INFLATE_LIMIT)
    throw new DataError(
      file,
      `The IDX header declares ${dims.join(' × ')} values (${bytesText(size)}), over the ${bytesText(IDX_INFLATE_LIMIT)} limit of what mia reads.`,
    );
  const buf = gz ? gunzipAtMost(input, file, start + size, dims) : input;
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
  checkDatasetSize(images.file, n, rows * cols);
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
