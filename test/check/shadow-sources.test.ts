/**
 * The shadows block on its table of sources (src/check/read/shadow-sources/): the trained block reads
 * as before, `onnx_models(...)` reads its files, mask and pool, and anything else is one E198 line.
 */
import { describe, expect, it } from 'vitest';
import { loadSource } from '../../src/cli/load.js';
import { BASE, check, errorsOf, memoryHost } from './helpers.js';

const withShadows = (shadows: string, attacks = '') => `${BASE.replace(/shadows refs .*\n/, `${shadows}\n`)}${attacks}`;
const programOf = (src: string) => loadSource('spec.mia', src, memoryHost({})).program;

describe('shadows from a table of sources', () => {
  it('reads the trained block as before, size required unless sampling half', () => {
    const p = programOf(BASE)!;
    expect(p.shadows).toEqual([
      expect.objectContaining({ name: 'refs', model: 'mlp', count: 4, size: 100, sampling: 'overlapping' }),
    ]);
    expect(p.shadows[0]).not.toHaveProperty('source');
    const noSize = errorsOf(withShadows('shadows refs { model mlp, count 4, pool digits.rest }'), 'E103');
    expect(noSize.map((d) => d.message)).toEqual(['The shadows "refs" needs a "size" setting.']);
    expect(errorsOf(withShadows('shadows refs { model mlp, count 4, pool digits, sampling half }'), 'E103')).toEqual(
      [],
    );
  });

  it('reads onnx_models: a glob or a list, the in mask, an optional whole-dataset pool, output and layout', () => {
    const glob = programOf(withShadows('shadows refs = onnx_models("refs/*.onnx") { in: "refs/in.npy" }'))!;
    expect(glob.shadows[0]).toMatchObject({
      source: 'onnx_models',
      name: 'refs',
      models: 'refs/*.onnx',
      in: 'refs/in.npy',
    });
    expect(glob.shadows[0]).not.toHaveProperty('pool');
    const list = programOf(
      withShadows(
        'shadows refs = onnx_models(["a.onnx", "b.onnx"]) { in: "in.npy", pool: digits, output: logits, layout: nchw }',
      ),
    )!;
    expect(list.shadows[0]).toMatchObject({
      models: ['a.onnx', 'b.onnx'],
      pool: { dataset: 'digits', ops: [] },
      output: 'logits',
      layout: 'nchw',
    });
  });

  it('gives one line for another source, a missing mask, an empty list and a pool that is not a whole dataset', () => {
    const other = check(withShadows('shadows refs = onnx_model("refs/*.onnx") { in: "in.npy" }'));
    expect(other.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([
      'E198 The shadows "refs" must be a block { model, count, pool, size, ... } or onnx_models("refs/*.onnx") { in, pool }. Did you mean "onnx_models"?',
    ]);
    expect(errorsOf(withShadows('shadows refs = onnx_models("r/*.onnx")'), 'E103').map((d) => d.message)).toEqual([
      'The shadows "refs" needs a "in" setting.',
    ]);
    expect(errorsOf(withShadows('shadows refs = onnx_models([]) { in: "in.npy" }'), 'E199')).toHaveLength(1);
    const pool = errorsOf(
      withShadows('shadows refs = onnx_models("r/*.onnx") { in: "in.npy", pool: digits.rest }'),
      'E199',
    );
    expect(pool.map((d) => d.message)).toEqual([
      'The pool of shadows "refs" must be a whole dataset ("digits"): the columns of its in mask are that dataset\'s records in file order.',
    ]);
  });

  it('leaves online LiRA on ONNX references to the plan (their mask says which records are IN), and counts only a list', () => {
    const online = 'attack l = lira { shadows: refs, mode: online }\n';
    const glob = check(withShadows('shadows refs = onnx_models("r/*.onnx") { in: "in.npy" }', online));
    expect(glob.filter((d) => d.code === 'E310' || d.code === 'W302')).toEqual([]);
    const two = check(withShadows('shadows refs = onnx_models(["a.onnx", "b.onnx"]) { in: "in.npy" }', online));
    expect(two.filter((d) => d.code === 'W302').map((d) => d.message)).toEqual([
      'The LiRA attack "l" estimates a variance per record from 2 shadow models, too few to be reliable.',
    ]);
  });
});
