import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSignalsFile } from '../../src/api/signals-file.js';
import { npyBytes, rawOf } from '../data/formats/npy-bytes.js';
import { tempDir } from '../data/formats/helpers.js';

describe('mia attack --signals with Fortran-order .npy files', () => {
  it('reads a Fortran-order reference matrix (written byte for byte) as its C-order twin', () => {
    const dir = tempDir();
    const refLoss = [
      [0.1, 0.2, 0.3, 0.4],
      [1.1, 1.2, 1.3, 1.4],
    ];
    const isIn = [
      [1, 0, 1, 0],
      [0, 1, 1, 0],
    ];
    // Fortran order: column by column, so element [m][r] sits at r * 2 + m.
    const col = (a: number[][]) => [0, 1, 2, 3].flatMap((r) => [a[0]![r]!, a[1]![r]!]);
    writeFileSync(join(dir, 'ref.npy'), npyBytes('<f8', [2, 4], true, rawOf('<f8', col(refLoss))));
    writeFileSync(join(dir, 'in.npy'), npyBytes('|b1', [2, 4], true, rawOf('|b1', col(isIn))));
    const base = { member: [1, 0, 1, -1], target: { loss: [0.5, 0.6, 0.7, 0.8] } };
    writeFileSync(join(dir, 'f.json'), JSON.stringify({ ...base, references: { loss: 'ref.npy', in: 'in.npy' } }));
    writeFileSync(join(dir, 'inline.json'), JSON.stringify({ ...base, references: { loss: refLoss, in: isIn } }));
    const fromNpy = readSignalsFile(join(dir, 'f.json'));
    const inline = readSignalsFile(join(dir, 'inline.json'));
    expect(fromNpy.references).toEqual(inline.references);
    expect(Array.from(fromNpy.references!.isIn[1]!)).toEqual([0, 1, 1, 0]);
  });
});
