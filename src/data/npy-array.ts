/**
 * .npy arrays for `mia attack --signals`: the reader is the data formats' (src/data/formats/npy.ts:
 * C and Fortran order, both byte orders, floats, integers and bool); the writer is here.
 */
export { type NpyArray, NpyError, parseNpy } from './formats/npy.js';

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
