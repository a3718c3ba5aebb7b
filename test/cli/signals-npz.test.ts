/**
 * `mia attack --signals FILE.npz`: numpy writes the files (np.savez, np.savez_compressed) under mia's
 * names, TensorFlow Privacy's AttackInputData names and ML Privacy Meter's `memberships`; each reads as
 * the same signals in the JSON format; damaged and hostile zips get one line, nothing inflated past its size.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSignalsFile } from '../../src/api/signals-file.js';
import { tempDir } from '../data/formats/helpers.js';

let dir = '';
const PY = `
import json, sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(3)
logits = rng.normal(size=(6, 3)); labels = np.array([0, 1, 2, 2, 1, 0])
ref = rng.normal(size=(4, 6, 3)); inm = rng.integers(0, 2, size=(4, 6)).astype(bool)
np.savez_compressed(d + "/tfp.npz", logits_train=logits[:4], logits_test=logits[4:], labels_train=labels[:4], labels_test=labels[4:])
np.savez(d + "/meter.npz", member=np.array([1, 1, 1, 1, 0, 0]), labels=labels, target_logits=logits, references_logits=ref, memberships=inm)
json.dump({"member": [1, 1, 1, 1, 0, 0], "labels": labels.tolist(), "target": {"logits": logits.tolist()},
           "references": {"logits": ref.tolist(), "in": inm.astype(int).tolist()}}, open(d + "/same.json", "w"))
`;

beforeAll(() => {
  dir = tempDir();
  execFileSync('/usr/bin/python3', ['-c', PY, dir]);
}, 60_000);

describe('signals in .npz files', () => {
  it("reads TensorFlow Privacy's AttackInputData names: train records are members, arrays joined train then test", () => {
    const npz = readSignalsFile(join(dir, 'tfp.npz'));
    const json = readSignalsFile(join(dir, 'same.json'));
    expect(npz.member).toEqual(json.member);
    expect(npz.labels).toEqual(json.labels);
    expect(npz.target).toEqual(json.target);
    expect(npz.references).toBeNull();
  });

  it("reads mia's names with ML Privacy Meter's memberships matrix as the reference models' in mask", () => {
    const npz = readSignalsFile(join(dir, 'meter.npz'));
    expect(npz).toEqual(readSignalsFile(join(dir, 'same.json')));
  });

  const damaged: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['not a zip', () => Buffer.from('PK but not a zip at all'), /not a zip archive/],
    ['cut short', (b) => b.subarray(0, b.length - 30), /not a zip archive|outside the file|damaged/],
    [
      'a member that inflates past its declared size (a zip bomb)',
      (b) => {
        const c = Buffer.from(b);
        const cd = c.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        c.writeUInt32LE(10, cd + 24); // declared size: 10 bytes
        return c;
      },
      /cannot be unpacked to the 10 bytes its directory declares/,
    ],
    [
      'a member claiming bytes past the end',
      (b) => {
        const c = Buffer.from(b);
        const cd = c.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        c.writeUInt32LE(0x7fffffff, cd + 20);
        return c;
      },
      /beyond the end of the file/,
    ],
  ];
  for (const [what, make, message] of damaged)
    it(`refuses ${what} in one line`, () => {
      const f = join(dir, `bad-${what.length}.npz`);
      writeFileSync(f, make(readFileSync(join(dir, 'tfp.npz'))));
      expect(() => readSignalsFile(f)).toThrow(message);
      try {
        readSignalsFile(f);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
        expect((e as Error).constructor.name).toBe('UserError');
      }
    });

  it('refuses an array under a name it does not know, listing the names', () => {
    execFileSync('/usr/bin/python3', ['-c', `import numpy as np; np.savez("${dir}/odd.npz", scores=np.zeros(3))`]);
    expect(() => readSignalsFile(join(dir, 'odd.npz'))).toThrow(/"scores" mia does not know; the names are member/);
  });
});
