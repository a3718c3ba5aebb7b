/**
 * Reference models from ONNX files: experiments/onnx/make_refs.py trains a target MLP and 8 reference
 * MLPs in PyTorch (each record in half of them), exports them, and computes LiRA's scores with numpy on
 * PyTorch's own logits (one python call for the whole file). `mia run` of experiments/onnx/own-refs.mia
 * gives the same scores, online and offline; reference files or masks that cannot be used stop the plan
 * with one line naming them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseNpy, writeNpy } from '../../src/data/index.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from './helpers.js';

const PY = '/usr/bin/python3';
let dir = '';
let expected: { online: number[]; offline: number[]; rmia_online: number[]; rmia_offline: number[] };

// A model whose input takes 12 features (the data has 10), exported beside the others in the same call.
const WIDE = `
import sys, torch
m = torch.nn.Sequential(torch.nn.Linear(12, 3))
torch.onnx.export(m.eval(), torch.zeros(2, 12), sys.argv[1], input_names=["x"], output_names=["out"],
                  dynamic_axes={"x": {0: "batch"}, "out": {0: "batch"}})
`;

beforeAll(() => {
  dir = tempDir();
  const script = `${readFileSync(join(root, 'experiments/onnx/make_refs.py'), 'utf8')}\nimport os as _os\nexec(${JSON.stringify(WIDE)}.replace("sys.argv[1]", repr(_os.path.join(out, "wide.onnx"))))\n`;
  writeFileSync(join(dir, 'make.py'), script);
  expected = JSON.parse(execFileSync(PY, [join(dir, 'make.py'), dir], { encoding: 'utf8' }));
  for (const f of ['own-refs.mia', 'own-refs-rmia.mia']) copyFileSync(join(root, 'experiments/onnx', f), join(dir, f));
}, 120_000);

describe('LiRA with reference models trained in PyTorch', () => {
  it('mia run: online and offline scores equal numpy’s LiRA on PyTorch’s logits', async () => {
    const r = await runMain([
      'run',
      join(dir, 'own-refs.mia'),
      '--no-cache',
      '--out',
      join(dir, 'out'),
      '--quiet',
      '--jobs',
      '1',
    ]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    for (const [name, want] of [
      ['lira_online', expected.online],
      ['lira_offline', expected.offline],
    ] as const) {
      const a = res.runs[0].attacks.find((x: { name: string }) => x.name === name);
      const { score, record, member } = a.samples as { score: number[]; record: number[]; member: number[] };
      expect(score).toHaveLength(200);
      expect(record.every((rec, i) => (member[i] === 1) === rec < 100)).toBe(true);
      // float32 logits from onnxruntime and from PyTorch differ in the last bits; LiRA divides by small σ.
      const worst = Math.max(
        ...score.map((s, i) => Math.abs(s - want[record[i]!]!) / Math.max(1, Math.abs(want[record[i]!]!))),
      );
      expect(worst).toBeLessThan(1e-3);
    }
  }, 60_000);
});

describe('RMIA with reference models trained in PyTorch and population records from a file', () => {
  it('mia run: online and offline scores equal numpy’s RMIA on PyTorch’s logits', async () => {
    const f = join(dir, 'own-refs-rmia.mia');
    const r = await runMain(['run', f, '--no-cache', '--out', join(dir, 'out-rmia'), '--quiet', '--jobs', '1']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'out-rmia', 'results.json'), 'utf8'));
    for (const name of ['rmia_online', 'rmia_offline'] as const) {
      const a = res.runs[0].attacks.find((x: { name: string }) => x.name === name);
      const { score, record, member } = a.samples as { score: number[]; record: number[]; member: number[] };
      // The candidates are seen's and unseen's records only; pop's (200..299 of seen+unseen+pop) are z.
      expect(score).toHaveLength(200);
      expect(record.every((rec, i) => (member[i] === 1) === rec < 100 && rec < 200)).toBe(true);
      // A score is a share of the 100 z: float32 logits from onnxruntime and PyTorch may move one z across γ.
      const off = score.map((s, i) => Math.abs(s - expected[name][record[i]!]!));
      expect(Math.max(...off)).toBeLessThanOrEqual(0.01 + 1e-12);
      expect(off.filter((d) => d > 0).length).toBeLessThanOrEqual(2);
    }
  }, 60_000);

  it('without a population, a target on two whole datasets has none: one line, exit 1', async () => {
    const f = join(dir, 'rmia-no-pop.mia');
    writeFileSync(
      f,
      readFileSync(join(dir, 'own-refs-rmia.mia'), 'utf8')
        .replace(', population: pop }', ' }')
        .replace('in_pop.npy', 'in.npy'),
    );
    const r = await runMain(['plan', f, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /The rmia attack "rmia_online" finds no population records outside the target's members and non-members\. Name a dataset of records neither trained on nor scored: population: pop\./,
    );
  });

  it('a population normalised on its own records is refused like the members and non-members', async () => {
    const f = join(dir, 'rmia-scaled-pop.mia');
    const text = readFileSync(join(dir, 'own-refs-rmia.mia'), 'utf8');
    writeFileSync(f, text.replace('"pop_y.npy") { normalize: none }', '"pop_y.npy")'));
    const r = await runMain(['plan', f, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /Dataset "pop" is normalised \(normalize: standard\) on its own records, so the population of target "mine" would be scaled differently from the others; give it normalize: none/,
    );
  });
});

describe('the plan of reference models from files', () => {
  const hashes = async (f: string) => {
    const r = await runMain(['plan', f, '--no-cache', '--format', 'json']);
    expect(r.code).toBe(0);
    const jobs = JSON.parse(r.stdout).jobs as { id: string; hash: string }[];
    return new Map(jobs.map((j) => [j.id, j.hash]));
  };
  it("puts each model file's bytes in its query job's hash, and the mask in the attacks'", async () => {
    const d = join(dir, 'hashed');
    mkdirSync(join(d, 'refs'), { recursive: true });
    for (const f of ['own-refs.mia', 'seen_x.npy', 'seen_y.npy', 'unseen_x.npy', 'unseen_y.npy', 'target.onnx'])
      copyFileSync(join(dir, f), join(d, f));
    for (let m = 0; m < 8; m++) copyFileSync(join(dir, `refs/ref_${m}.onnx`), join(d, `refs/ref_${m}.onnx`));
    copyFileSync(join(dir, 'refs/in.npy'), join(d, 'refs/in.npy'));
    const before = await hashes(join(d, 'own-refs.mia'));
    copyFileSync(join(dir, 'refs/ref_0.onnx'), join(d, 'refs/ref_5.onnx')); // another model under ref_5's name
    const after = await hashes(join(d, 'own-refs.mia'));
    const changed = [...before].filter(([id, h]) => after.get(id) !== h).map(([id]) => id);
    expect(changed.sort()).toEqual([
      'attack/lira_offline',
      'attack/lira_online',
      'evaluate/lira_offline',
      'evaluate/lira_online',
      'onnx/shadow/refs/5',
    ]);
    const flipped = parseNpy(readFileSync(join(d, 'refs/in.npy')), 'in.npy').data.map((v) => 1 - v);
    writeFileSync(join(d, 'refs/in.npy'), writeNpy([8, 200], flipped, '|b1'));
    const masked = await hashes(join(d, 'own-refs.mia'));
    expect(
      [...after]
        .filter(([id, h]) => masked.get(id) !== h)
        .map(([id]) => id)
        .sort(),
    ).toEqual(['attack/lira_offline', 'attack/lira_online', 'evaluate/lira_offline', 'evaluate/lira_online']);
  });
});

describe('reference models that cannot be used: one line naming them, exit 1, before any job', () => {
  const spec = (shadows: string, attacks = 'attack lira_online = lira { shadows: refs, mode: online }') =>
    readFileSync(join(dir, 'own-refs.mia'), 'utf8')
      .replace(/shadows refs = .*\n/, `${shadows}\n`)
      .replace(/attack lira_online .*\nattack lira_offline .*\n/, `${attacks}\n`);
  const mask = (name: string, shape: number[], at: (m: number, j: number) => number) => {
    const v = Array.from({ length: shape[0]! * shape[1]! }, (_, i) => at(Math.floor(i / shape[1]!), i % shape[1]!));
    writeFileSync(join(dir, name), writeNpy(shape, v, '|b1'));
    return name;
  };
  const given = () => parseNpy(readFileSync(join(dir, 'refs/in.npy')), 'in.npy').data;
  const cases: [string, () => string, RegExp][] = [
    [
      'a glob that matches nothing',
      () => 'shadows refs = onnx_models("refs/*.pt") { in: "refs/in.npy" }',
      /The pattern "refs\/\*\.pt" of shadows "refs" matches no file in ".*refs"/,
    ],
    [
      'a mask of the wrong shape',
      () => `shadows refs = onnx_models("refs/*.onnx") { in: "${mask('short.npy', [7, 200], () => 1)}" }`,
      /the in mask of shadows "refs" has shape \[7, 200\], but it must be \[8, 200\] \(models × records\)/,
    ],
    [
      'a record no model trained on, for online LiRA',
      () => {
        const g = given();
        return `shadows refs = onnx_models("refs/*.onnx") { in: "${mask('no-in.npy', [8, 200], (m, j) => (j === 137 ? 0 : g[m * 200 + j]!))}" }`;
      },
      /online LiRA attack "lira_online" needs, for each record it scores, reference models trained with it; column 137 of the in mask "no-in\.npy" is 0 for all 8 models/,
    ],
    [
      'a record every model trained on, for offline LiRA',
      () => {
        const g = given();
        return `shadows refs = onnx_models("refs/*.onnx") { in: "${mask('all-in.npy', [8, 200], (m, j) => (j === 3 ? 1 : g[m * 200 + j]!))}" }`;
      },
      /LiRA attack "off" needs, for each record it scores, reference models trained without it; column 3 of the in mask "all-in\.npy" is 1 for all 8 models/,
    ],
    [
      'a candidate outside the pool, for online LiRA',
      () => {
        const g = given();
        const m = mask('seen-in.npy', [8, 100], (k, j) => g[k * 200 + j]!);
        return `shadows refs = onnx_models("refs/*.onnx") { in: "${m}", pool: seen }`;
      },
      /reference models trained with it; record 0 of "unseen" is outside the pool of shadows "refs", so no reference model trained on it\./,
    ],
    [
      'a file that is not ONNX',
      () => {
        mkdirSync(join(dir, 'junk'), { recursive: true });
        writeFileSync(join(dir, 'junk/a.onnx'), 'not a model \u0001');
        return `shadows refs = onnx_models("junk/*.onnx") { in: "${mask('one.npy', [1, 200], (_, j) => j % 2)}" }`;
      },
      /junk\/a\.onnx: This is not a readable ONNX model/,
    ],
    [
      'a model whose input does not fit the data',
      () =>
        `shadows refs = onnx_models(["refs/ref_0.onnx", "wide.onnx"]) { in: "${mask('two.npy', [2, 200], (m, j) => (m + j) % 2)}" }`,
      /wide\.onnx: The model's input "x" \[batch, 12\] takes 12 features \(dimension 1\), but the data's records are 10 features\./,
    ],
    [
      'a link that leads outside the pattern’s folder',
      () => {
        mkdirSync(join(dir, 'linked'), { recursive: true });
        if (!existsSync(join(dir, 'linked/a.onnx'))) symlinkSync(join(dir, 'target.onnx'), join(dir, 'linked/a.onnx'));
        return `shadows refs = onnx_models("linked/*.onnx") { in: "one.npy" }`;
      },
      /linked\/a\.onnx: this link leads outside the folder ".*linked" of the pattern "linked\/\*\.onnx"/,
    ],
    [
      'a pool that is not a whole dataset',
      () => 'shadows refs = onnx_models("refs/*.onnx") { in: "refs/in.npy", pool: seen.take(10) }',
      /The pool of shadows "refs" must be a whole dataset \("seen"\)/,
    ],
  ];
  it.each(cases)('refuses %s', async (what, shadows, message) => {
    const f = join(dir, `${what.replace(/\W+/g, '-')}.mia`);
    const attacks = what.includes('offline') ? 'attack off = lira { shadows: refs, mode: offline }' : undefined;
    writeFileSync(f, spec(shadows(), attacks));
    const r = await runMain(['plan', f, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.match(/error\[/g) ?? []).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('without onnxruntime-node', () => {
  it('a spec with ONNX reference models stops before any work with one line saying what to install, exit 2', async () => {
    // The same resolution mia does at plan time, of a module that is not installed (src/ml/onnx-runtime.ts).
    process.env.MIA_TEST_ONNXRUNTIME_ABSENT = '1';
    try {
      const out = join(dir, 'out-no-runtime');
      const r = await runMain(['run', join(dir, 'own-refs.mia'), '--no-cache', '--out', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /needs onnxruntime-node, and it is not installed: run `npm install onnxruntime-node@1\.31\.1`/,
        ),
      ]);
      expect(existsSync(join(out, 'results.json'))).toBe(false);
    } finally {
      delete process.env.MIA_TEST_ONNXRUNTIME_ABSENT;
    }
  });
});
