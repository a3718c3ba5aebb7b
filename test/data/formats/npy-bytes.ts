/**
 * .npy files written byte for byte as numpy.save does: magic, version 1.0, a u16 header length, the
 * header dict padded with spaces to a multiple of 64 bytes and ended by a newline, then the raw values
 * (in the order the header's fortran_order says).
 */
export function npyBytes(descr: string, shape: number[], fortran: boolean, raw: Uint8Array): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const h = `${dict}${' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + h.length + raw.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  for (let i = 0; i < h.length; i++) out[10 + i] = h.charCodeAt(i);
  out.set(raw, 10 + h.length);
  return out;
}

/** Values as the raw bytes of a dtype. */
export function rawOf(descr: string, values: number[]): Uint8Array {
  const m = /^([<>|])([fiub])(\d)$/.exec(descr)!;
  const le = m[1] !== '>';
  const size = Number(m[3]);
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((v, i) => {
    const p = i * size;
    const k = `${m[2]}${size}`;
    if (k === 'f4') view.setFloat32(p, v, le);
    else if (k === 'f8') view.setFloat64(p, v, le);
    else if (k === 'i4') view.setInt32(p, v, le);
    else if (k === 'i8') view.setBigInt64(p, BigInt(v), le);
    else if (k === 'u1' || k === 'b1') view.setUint8(p, v);
    else if (k === 'i2') view.setInt16(p, v, le);
    else throw new Error(`rawOf: ${descr}`);
  });
  return new Uint8Array(view.buffer);
}
