/**
 * A reader for NumPy's .npy format (versions 1–3): little- or big-endian float32/float64, signed and
 * unsigned integers of 1–8 bytes, and bool, in C order. Fortran order and object arrays are refused
 * with a message. Values come back as float64 with the array's shape.
 */

export interface NpyArray {
  shape: number[];
  data: Float64Array;
  dtype: string;
}

export class NpyError extends Error {}

export function parseNpy(buf: Uint8Array, name = 'the .npy file'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (buf.length < 10 || magic.some((b, i) => buf[i] !== b))
    throw new NpyError(`${name} is not a .npy file (it lacks the \\x93NUMPY magic).`);
  const major = buf[6]!;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number, offset: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = view.getUint32(8, true);
    offset = 12;
  } else throw new NpyError(`${name} has .npy version ${major}, which mia does not read (versions 1 to 3).`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyError(`${name} has a malformed .npy header: ${header.trim()}`);
  if (fortran === 'True')
    throw new NpyError(`${name} is in Fortran order; save it in C order (np.ascontiguousarray) first.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new NpyError(`${name} has a malformed shape (${shapeText}).`);
  const count = shape.reduce((a, b) => a * b, 1);
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) throw new NpyError(`${name} has dtype "${descr}"; mia reads float32/64, integers and bool.`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const little = order !== '>';
  const start = offset + headerLen;
  if (buf.length < start + count * size)
    throw new NpyError(`${name} is truncated: its header promises ${count} values of ${size} bytes.`);
  if (buf.length > start + count * size)
    throw new NpyError(
      `${name} has ${buf.length - start - count * size} bytes after the ${count} values its header promises; it is not one array.`,
    );
  const data = new Float64Array(count);
  const read = ((): ((p: number) => number) => {
    if (kind === 'f' && size === 4) return (p) => view.getFloat32(p, little);
    if (kind === 'f' && size === 8) return (p) => view.getFloat64(p, little);
    if (kind === 'b' && size === 1) return (p) => (view.getUint8(p) ? 1 : 0);
    if (kind === 'i' && size === 1) return (p) => view.getInt8(p);
    if (kind === 'u' && size === 1) return (p) => view.getUint8(p);
    if (kind === 'i' && size === 2) return (p) => view.getInt16(p, little);
    if (kind === 'u' && size === 2) return (p) => view.getUint16(p, little);
    if (kind === 'i' && size === 4) return (p) => view.getInt32(p, little);
    if (kind === 'u' && size === 4) return (p) => view.getUint32(p, little);
    if (kind === 'i' && size === 8) return (p) => Number(view.getBigInt64(p, little));
    if (kind === 'u' && size === 8) return (p) => Number(view.getBigUint64(p, little));
    throw new NpyError(`${name} has dtype "${descr}"; mia reads float32/64, integers and bool.`);
  })();
  for (let i = 0; i < count; i++) data[i] = read(start + i * size);
  return { shape, data, dtype: descr };
}

/** Writes a float64 or bool array as .npy v1 (little-endian, C order): for tests and exports. */
export function writeNpy(
  shape: readonly number[],
  values: ArrayLike<number>,
  dtype: '<f8' | '<f4' | '<i8' | '|b1' = '<f8',
): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header = `${header}${' '.repeat(pad % 64)}\n`;
  const size = dtype === '|b1' ? 1 : dtype === '<f4' ? 4 : 8;
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const s = 10 + header.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dtype === '<f8') view.setFloat64(s + 8 * i, v, true);
    else if (dtype === '<f4') view.setFloat32(s + 4 * i, v, true);
    else if (dtype === '<i8') view.setBigInt64(s + 8 * i, BigInt(v), true);
    else view.setUint8(s + i, v ? 1 : 0);
  }
  return out;
}
