/**
 * NumPy's .npy format (versions 1–3): little- or big-endian float16/32/64, signed and unsigned integers
 * of 1–8 bytes, and bool, in C or Fortran order (numpy writes Fortran order for transposed and many
 * sliced arrays; such data is reordered here to C order). Values come back as float64 in C order with
 * the array's shape. `parseNpyDataset` pairs a features array [n, ...] with a labels array [n].
 */
import { basename } from 'node:path';
import { checkDatasetSize, checkLabels, DataError, firstNonFinite, readBytes } from './errors.js';
import { count, type Parsed } from './parsed.js';

export interface NpyArray {
  shape: number[];
  /** The values in C (row-major) order. */
  data: Float64Array;
  dtype: string;
  /** Whether the file stored them in Fortran (column-major) order. */
  fortran: boolean;
}

/** A .npy file mia cannot read; a DataError naming the file. */
export class NpyError extends DataError {}

/** numpy's own bound on the number of axes (NPY_MAXDIMS is 32 in numpy 1, 64 in numpy 2). */
const MAX_AXES = 64;

const SUPPORTED = 'mia reads float16/32/64, (unsigned) integers of 1 to 8 bytes and bool';

function header(buf: Uint8Array, file: string): { descr: string; fortran: boolean; shape: number[]; start: number } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (buf.length < 10 || magic.some((b, i) => buf[i] !== b))
    throw new NpyError(file, 'This is not a .npy file (it lacks the \\x93NUMPY magic). Save arrays with numpy.save.');
  const major = buf[6]!;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (major < 1 || major > 3)
    throw new NpyError(file, `The file has .npy version ${major}, which mia does not read (versions 1 to 3).`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const offset = major === 1 ? 10 : 12;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyError(
      file,
      `The .npy header is malformed (${text.trim()}); a structured or object array? ${SUPPORTED}.`,
    );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new NpyError(file, `The .npy shape (${shapeText}) is malformed.`);
  if (shape.length > MAX_AXES)
    throw new NpyError(file, `The array has ${shape.length} axes; numpy writes at most ${MAX_AXES}.`);
  return { descr, fortran: fortran === 'True', shape, start: offset + headerLen };
}

function half(bits: number): number {
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  const s = bits & 0x8000 ? -1 : 1;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

function reader(descr: string, view: DataView, file: string): [(p: number) => number, number] {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  const bad = (): never => {
    throw new NpyError(file, `The array has dtype "${descr}"; ${SUPPORTED}. Convert it with .astype(np.float32).`);
  };
  if (!m) return bad();
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const le = order !== '>';
  const r = ((): ((p: number) => number) | null => {
    const k = `${kind}${size}`;
    if (k === 'f2') return (p) => half(view.getUint16(p, le));
    if (k === 'f4') return (p) => view.getFloat32(p, le);
    if (k === 'f8') return (p) => view.getFloat64(p, le);
    if (k === 'b1') return (p) => (view.getUint8(p) ? 1 : 0);
    if (k === 'i1') return (p) => view.getInt8(p);
    if (k === 'u1') return (p) => view.getUint8(p);
    if (k === 'i2') return (p) => view.getInt16(p, le);
    if (k === 'u2') return (p) => view.getUint16(p, le);
    if (k === 'i4') return (p) => view.getInt32(p, le);
    if (k === 'u4') return (p) => view.getUint32(p, le);
    if (k === 'i8') return (p) => Number(view.getBigInt64(p, le));
    if (k === 'u8') return (p) => Number(view.getBigUint64(p, le));
    return null;
  })();
  return r ? [r, size] : bad();
}

/**
 * The C-order position of each Fortran-order element in turn (Fortran index f holds C element at(f)), kept
 * by an odometer over the axes so each step costs O(1) amortised: 10^8 elements take a second, not minutes.
 */
function fortranPositions(shape: number[]): () => number {
  const cStride = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const idx = new Array<number>(shape.length).fill(0);
  let c = 0;
  return () => {
    const at = c;
    for (let d = 0; d < shape.length; d++) {
      c += cStride[d]!;
      if (++idx[d]! < shape[d]!) break;
      c -= cStride[d]! * shape[d]!;
      idx[d] = 0;
    }
    return at;
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const NATIVE = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '<i4': Int32Array,
  '<u4': Uint32Array,
  '<i2': Int16Array,
  '<u2': Uint16Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
} as const;

/**
 * The stored values through a typed-array view when the dtype is the machine's own (the same numbers as
 * the DataView reads, at memory speed: 10^8 floats of reference-model logits are common), else null. No
 * copy when aligned; an unaligned one is copied once (new Uint8Array copies; a Buffer's slice would share
 * the whole pool's memory).
 */
function nativeView(descr: string, buf: Uint8Array, start: number, n: number): ArrayLike<number> | null {
  const Ctor = LITTLE_ENDIAN ? NATIVE[descr as keyof typeof NATIVE] : undefined;
  if (!Ctor) return null;
  const at = buf.byteOffset + start;
  if (at % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(buf.buffer as ArrayBuffer, at, n);
  return new Ctor(new Uint8Array(buf.subarray(start, start + n * Ctor.BYTES_PER_ELEMENT)).buffer, 0, n);
}

/** The n values as float64 in C order, read straight into place (one array of n, whatever the order). */
function values(
  src: { view: ArrayLike<number> | null; read: (p: number) => number; start: number; size: number },
  n: number,
  fortran: number[] | null,
): Float64Array {
  const { view, read, start, size } = src;
  if (view && !fortran) return Float64Array.from(view);
  const out = new Float64Array(n);
  const next = fortran && fortran.length > 1 ? fortranPositions(fortran) : null;
  for (let i = 0; i < n; i++) out[next ? next() : i] = view ? view[i]! : read(start + i * size);
  return out;
}

/** The header's facts once its dtype is one mia reads and its values within the dataset limit. */
function checkedHeader(buf: Uint8Array, file: string) {
  const h = header(buf, file);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const [read, size] = reader(h.descr, view, file);
  const n = h.shape.reduce((a, b) => a * b, 1);
  checkDatasetSize(file, h.shape[0] ?? 1, h.shape.length > 1 ? n / h.shape[0]! : 1);
  return { ...h, read, size, n };
}

/**
 * The bytes a .npy file must hold, from its first bytes alone (null when `head` ends inside the header):
 * its header checked as `parseNpy` checks it, so a zip member can be refused before it is inflated.
 */
export function npyByteLength(head: Uint8Array, file: string): number | null {
  if (head.length < 12) return null;
  if (head[6]! >= 1 && head[6]! <= 3) {
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const end = head[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
    if (end > head.length) return null;
  }
  const { start, n, size } = checkedHeader(head, file);
  return start + n * size;
}

export function parseNpy(buf: Uint8Array, file = 'the .npy file'): NpyArray {
  const { descr, fortran, shape, start, read, size, n } = checkedHeader(buf, file);
  if (buf.length < start + n * size)
    throw new NpyError(file, `The file is truncated: its header promises ${count(n)} values of ${size} bytes.`);
  if (buf.length > start + n * size)
    throw new NpyError(
      file,
      `The file has ${count(buf.length - start - n * size)} bytes after the ${count(n)} values its header promises; it is not one array (np.savez files are zip archives).`,
    );
  const data = values({ view: nativeView(descr, buf, start, n), read, start, size }, n, fortran ? shape : null);
  return { shape, data, dtype: descr, fortran };
}

export interface NpyDatasetOptions {
  /** The record shape the experiment expects (e.g. [28, 28, 1]); any when absent. */
  expect?: number[];
  name?: string;
}

/**
 * Features [n, ...] and labels [n] (or [n, 1]) → a dataset. Records of rank 1 are tabular; [h, w] and
 * [h, w, c] are images (height, width, channels; [h, w] gets one channel). Labels are class indices.
 */
export function parseNpyDataset(
  features: { bytes: Uint8Array; file: string },
  labels: { bytes: Uint8Array; file: string },
  opts: NpyDatasetOptions = {},
): Parsed {
  const fx = parseNpy(features.bytes, features.file);
  const fy = parseNpy(labels.bytes, labels.file);
  if (fx.shape.length < 2 || fx.shape.length > 4)
    throw new NpyError(
      features.file,
      `The features have shape (${fx.shape.join(', ')}); mia needs (records, features) or (records, height, width[, channels]).`,
    );
  const n = fx.shape[0]!;
  if (!(fy.shape.length === 1 || (fy.shape.length === 2 && fy.shape[1] === 1)) || fy.shape[0] !== n)
    throw new NpyError(
      labels.file,
      `The labels have shape (${fy.shape.join(', ')}); with ${count(n)} records in ${features.file} they must have shape (${n},).`,
    );
  let shape = fx.shape.slice(1);
  if (shape.includes(0))
    throw new NpyError(
      features.file,
      `The features have shape (${fx.shape.join(', ')}): each record has no feature. Save the features array, not an empty one.`,
    );
  if (shape.length === 2) shape = [...shape, 1];
  if (opts.expect && (opts.expect.length !== shape.length || opts.expect.some((d, i) => d !== shape[i])))
    throw new NpyError(
      features.file,
      `Each record has shape [${shape.join(', ')}] but [${opts.expect.join(', ')}] is expected.`,
    );
  const x = Float32Array.from(fx.data);
  const bad = firstNonFinite(x);
  if (bad) {
    const f = x.length / n;
    throw new NpyError(
      features.file,
      `Feature ${bad[0] % f} is ${bad[1]}; features must be finite numbers (np.nan_to_num, or drop the record).`,
      { record: Math.floor(bad[0] / f) },
    );
  }
  const classes = checkLabels(labels.file, fy.data);
  const name = opts.name ?? basename(features.file).replace(/\.npy$/, '');
  const kind = shape.length === 1 ? 'tabular' : 'image';
  return {
    dataset: { name, x, y: Int32Array.from(fy.data), n, shape, classes, kind },
    notes: [
      `Read ${count(n)} records of shape [${shape.join(', ')}] (${fx.dtype}${fx.fortran ? ', Fortran order' : ''}), ${classes} classes.`,
    ],
  };
}

/** Reads features and labels .npy files (paths). */
export const readNpyDataset = (featuresPath: string, labelsPath: string, opts: NpyDatasetOptions = {}): Parsed =>
  parseNpyDataset(
    { bytes: readBytes(featuresPath, '.npy file'), file: featuresPath },
    { bytes: readBytes(labelsPath, '.npy file'), file: labelsPath },
    opts,
  );
