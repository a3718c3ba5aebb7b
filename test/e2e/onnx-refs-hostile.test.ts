/**
 * Hostile variants of `shadows refs = onnx_models(...) { in: ... }` (the cases of onnx-refs.test.ts not
 * repeated): globs through `..` and absolute paths (read: the spec names them), a folder named x.onnx, an
 * empty pattern (the spec's own folder), /dev/zero as a model and as the mask, `**`, 5,000 matches (refused
 * by the count before any file is looked at), and masks whose .npy header claims 10^12 values or is in
 * Fortran order. experiments/onnx/make_refs.py exports the models (one python call); each refusal is one
 * error line naming the file or pattern, exit 1, from `mia plan`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../src/data/index.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from './helpers.js';

let dir = '';

beforeAll(() => {
  dir = tempDir();
  execFileSync('/usr/bin/python3', [join(root, 'experiments/onnx/make_refs.py'), dir], { encoding: 'utf8' });
  copyFileSync(join(root, 'experiments/onnx/own-refs.mia'), join(dir, 'own-refs.mia'));
  mkdirSync(join(dir, 'dirx/x.onnx'), { recursive: true });
  mkdirSync(join(dir, 'many'));
  for (let i = 0; i < 5000; i++) writeFileSync(join(dir, `many/m${i}.onnx`), '');
  // a one-model mask, and the eight-model mask written by numpy in Fortran order
  const script = `import numpy as np, sys
d = sys.argv[1]; m = np.load(d + "/refs/in.npy")
np.save(d + "/one.npy", m[:1]); np.save(d + "/fortran.npy", np.asfortranarray(m))
h = "{'descr': '<f8', 'fortran_order': False, 'shape': (8, 1000000000000), }"
h = h + " " * (64 - (10 + len(h) + 1) % 64) + "\\n"
open(d + "/huge.npy", "wb").write(b"\\x93NUMPY\\x01\\x00" + len(h).to_bytes(2, "little") + h.encode())`;
  execFileSync('/usr/bin/python3', ['-c', script, dir]);
}, 120_000);

const spec = (shadows: string): string => {
  const f = join(dir, `s${Math.random().toString(36).slice(2)}.mia`);
  writeFileSync(f, readFileSync(join(dir, 'own-refs.mia'), 'utf8').replace(/shadows refs = .*\n/, `${shadows}\n`));
  return f;
};

describe('onnx_models: hostile patterns and masks', () => {
  it('reads the set through "..", and through an absolute path, as the same jobs', async () => {
    const base = join(dir, '..', dir.split('/').at(-1)!);
    const plans = [];
    for (const s of [
      'shadows refs = onnx_models("refs/*.onnx") { in: "refs/in.npy" }',
      `shadows refs = onnx_models("../${dir.split('/').at(-1)}/refs/*.onnx") { in: "refs/in.npy" }`,
      `shadows refs = onnx_models("${base}/refs/*.onnx") { in: "${dir}/refs/in.npy" }`,
      'shadows refs = onnx_models("refs/*.onnx") { in: "fortran.npy" }', // the same mask in Fortran order
    ]) {
      const r = await runMain(['plan', spec(s), '--no-cache', '--format', 'json']);
      expect(r.code).toBe(0);
      plans.push((JSON.parse(r.stdout).jobs as { id: string; hash: string }[]).map((j) => `${j.id} ${j.hash}`));
    }
    for (const p of plans.slice(1)) expect(p).toEqual(plans[0]);
    expect(parseNpy(readFileSync(join(dir, 'fortran.npy')), 'f').fortran).toBe(true);
  }, 30_000);

  const cases: [string, string, RegExp][] = [
    [
      'a folder named x.onnx',
      'onnx_models("dirx/*.onnx") { in: "one.npy" }',
      /error\[E402\]: .*dirx\/x\.onnx: This is a folder, not a regular file/,
    ],
    [
      'an empty pattern (the spec’s folder)',
      'onnx_models("") { in: "one.npy" }',
      /: This is a folder, not a regular file/,
    ],
    ['/dev/zero as a model', 'onnx_models(["/dev/zero"]) { in: "one.npy" }', /\/dev\/zero: This is a character device/],
    [
      '/dev/zero as the mask',
      'onnx_models("refs/*.onnx") { in: "/dev/zero" }',
      /\/dev\/zero: This is a character device/,
    ],
    [
      'a ** pattern',
      'onnx_models("refs/**/*.onnx") { in: "one.npy" }',
      /Only the file name of the pattern "refs\/\*\*\/\*\.onnx" of shadows "refs" may hold \* or \?/,
    ],
    [
      '5,000 matches',
      'onnx_models("many/*.onnx") { in: "one.npy" }',
      /Shadows "refs" name 5000 model files; mia takes at most 4096 reference models/,
    ],
    [
      'a mask whose header claims 8 × 10^12 values',
      'onnx_models("refs/*.onnx") { in: "huge.npy" }',
      /huge\.npy: The dataset would hold 8 records of 1,000,000,000,000 features/,
    ],
  ];
  it.each(cases)('refuses %s in one error line, exit 1', async (_what, models, message) => {
    const r = await runMain(['plan', spec(`shadows refs = ${models}`), '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.match(/error\[/g) ?? []).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  });
});
