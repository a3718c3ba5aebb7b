import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenScores } from '../../src/attacks/token-scores.js';
import { readTokenSignalsIfAny } from '../../src/cli/token-signals-file.js';
import { miaAsync as mia, tempDir } from '../e2e/helpers.js';

// One python call writes a token file from a toy causal "model" (softmax over a 50-token vocabulary) and
// the five scores computed with numpy from their definitions.
const PY = String.raw`
import json, sys, zlib
import numpy as np
rng = np.random.default_rng(5)
V, out = 50, sys.argv[1]
seqs = {"format": "tokens", "member": [], "logprobs": [], "mean": [], "variance": [], "reference": [], "zlib": []}
for i in range(60):
    m = int(i % 2 == 0); L = int(rng.integers(3, 40))
    logits = rng.normal(0, 2, (L, V)); lp = logits - np.log(np.exp(logits).sum(1, keepdims=True)); p = np.exp(lp)
    tok = np.where(rng.random(L) < (0.6 if m else 0.3), lp.argmax(1), rng.integers(0, V, L))
    ell = lp[np.arange(L), tok]; mu = (p * lp).sum(1); var = (p * lp**2).sum(1) - mu**2
    ref = ell + rng.normal(0, 0.5, L) - 0.3
    text = " ".join(str(t) for t in tok).encode()
    for k, v in [("member", m), ("logprobs", ell.tolist()), ("mean", mu.tolist()), ("variance", var.tolist()),
                 ("reference", np.minimum(ref, 0).tolist()), ("zlib", len(zlib.compress(text)))]:
        seqs[k].append(v)
json.dump(seqs, open(out + "/tokens.json", "w"))
def mink(x, k=0.2): return np.sort(x)[:max(1, int(k * len(x)))].mean()
exp = {"loss": [], "zlib": [], "reference": [], "min_k_20": [], "min_k_plus_plus_20": []}
for lp, mu, var, ref, z in zip(seqs["logprobs"], seqs["mean"], seqs["variance"], seqs["reference"], seqs["zlib"]):
    lp, mu, var, ref = map(np.array, (lp, mu, var, ref)); loss = -lp.mean()
    exp["loss"].append(-loss); exp["zlib"].append(-loss / z); exp["reference"].append(-loss / -ref.mean())
    exp["min_k_20"].append(mink(lp)); exp["min_k_plus_plus_20"].append(mink((lp - mu) / np.sqrt(var)))
json.dump(exp, open(out + "/expected.json", "w"))
`;

let dir = '';
beforeAll(() => {
  dir = tempDir('mia-tokens-');
  execFileSync('/usr/bin/python3', ['-c', PY, dir]);
});

describe('token signals of language models (mia attack --signals)', () => {
  it('loss, zlib, reference, Min-K% and Min-K%++ equal numpy computations of their definitions', () => {
    const t = readTokenSignalsIfAny(join(dir, 'tokens.json'));
    expect(t).not.toBeNull();
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, number[]>;
    const { variants, notes } = tokenScores(t!);
    expect(notes).toEqual([]);
    expect(variants.map((v) => v.name)).toEqual(['loss', 'zlib', 'reference', 'min_k_20', 'min_k_plus_plus_20']);
    for (const v of variants) {
      const e = expected[v.name]!;
      expect(v.scores.length).toBe(60);
      v.scores.forEach((s, i) => expect(Math.abs(s - e[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e[i]!))));
    }
  });

  it('end to end: results.json with the five scores, members ranked above non-members', async () => {
    const out = join(dir, 'out');
    const r = await mia(['attack', '--signals', join(dir, 'tokens.json'), '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      runs: { attacks: { name: string; kind: string; metrics: { auc: number } }[] }[];
    };
    const attacks = res.runs[0]!.attacks;
    expect(attacks.map((a) => a.name)).toEqual(['loss', 'zlib', 'reference', 'min_k_20', 'min_k_plus_plus_20']);
    for (const a of attacks) expect(a.metrics.auc).toBeGreaterThan(0.6);
  });

  it('bad token files are one line naming the field and sequence, exit 1; missing fields leave scores out', async () => {
    const base = { format: 'tokens', member: [1, 0], logprobs: [[-0.1, -2], [-3]] };
    const cases: [object, string][] = [
      [{ ...base, logprobs: [[-0.1, 0.5], [-3]] }, '"logprobs" of sequence 0 holds 0.5 at token 1'],
      [{ ...base, mean: [[0, 0], [0]] }, 'Give "mean" and "variance" together'],
      [{ ...base, reference: [[-1], [-1]] }, '"reference" of sequence 0 must be a list of 2 numbers'],
      [{ ...base, zlib: [10, 0] }, '"zlib" must be a list of 2 compressed sizes'],
      [{ ...base, logprobs: [[-0.1, 'x'], [-3]] }, 'holds "x" at token 1'],
      [{ ...base, extra: 1 }, 'Unknown field "extra"'],
    ];
    cases.forEach(([o, message], i) => {
      expect(() => readTokenSignalsIfAny(writeTo(join(dir, `bad${i}.json`), o))).toThrow(message);
    });
    const r = await mia(['attack', '--signals', join(dir, 'bad0.json'), '--out', join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(cases[0]![1]);
    const partial = tokenScores(readTokenSignalsIfAny(writeTo(join(dir, 'ok.json'), base))!);
    expect(partial.variants.map((v) => v.name)).toEqual(['loss', 'min_k_20']);
    expect(partial.notes).toHaveLength(3);
  });
});

function writeTo(f: string, o: object): string {
  writeFileSync(f, JSON.stringify(o));
  return f;
}
