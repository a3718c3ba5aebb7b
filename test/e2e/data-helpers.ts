/** Files in real formats for the data-source tests: a made-up clinic CSV, .npy arrays. */
export const rng = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/** A clinic table: text columns, numbers, NA markers, the label "Outcome" in the middle. */
export function clinicCsv(rows: number): string {
  const r = rng(3);
  const wards = ['north', 'south', 'east'];
  const out = ['Patient Age, Ward, Outcome, Blood Pressure, Smoker'];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(20 + 60 * r());
    const bp = Math.round(90 + 60 * r());
    const sick = age + bp / 2 + 30 * r() > 110;
    const ward = r() < 0.08 ? 'NA' : wards[Math.floor(r() * 3)]!;
    out.push(
      `${age}, ${ward}, ${sick ? 'readmitted' : 'home'}, ${r() < 0.05 ? 'NA' : bp}, ${r() < 0.4 ? 'yes' : 'no'}`,
    );
  }
  return `${out.join('\n')}\n`;
}

export const npyFile = (descr: string, shape: number[], data: ArrayBufferView): Buffer => {
  let h = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + h.length + 1;
  h += ' '.repeat((64 - (total % 64)) % 64);
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head.writeUInt16LE(h.length + 1, 8);
  return Buffer.concat([
    head,
    Buffer.from(`${h}\n`, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
};
