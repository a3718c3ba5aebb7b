import { describe, expect, it } from 'vitest';
import {
  fitMlp,
  logitConfidence,
  logProbOfLabel,
  lossOf,
  predictMlp,
  predictedLabel,
  probabilities,
  runAttack,
} from '../../src/attacks/index.js';
import {
  augmentationCopies,
  augmentAll,
  NpyError,
  parseNpy,
  rotate,
  translate,
  writeNpy,
} from '../../src/data/index.js';
import { makeRng } from '../../src/util/rng.js';
import { applyRelease } from '../../src/defenses/index.js';
import type { Release, ReleaseForm } from '../../src/kinds/output-release.js';

/** A release of the given steps (kind, settings), as releaseOf builds one. */
const rel = (form: ReleaseForm, ...steps: [string, Record<string, number>][]): Release => ({
  kind: 'transformed',
  form,
  steps: steps.map(([kind, settings]) => ({ kind, settings })),
});
const LABELS = rel('labels', ['labels_only', {}]);
import type { AttackDef, Unlocated } from '../../src/check/index.js';

describe('the release transform: an attack sees only what the target releases', () => {
  const s = { logits: Float32Array.from([2, 1, 0, 3, -1, -1]), classes: 3 };
  it('labels: a one-hot of the prediction, nothing else', () => {
    const r = applyRelease(s, LABELS);
    expect(Array.from(probabilities(r, 0))).toEqual([1, 0, 0]);
    expect(predictedLabel(r, 1)).toBe(0);
    expect(lossOf(r, 0, 1)).toBe(Infinity);
  });
  it('top-k keeps the k largest probabilities; rounding rounds them', () => {
    const p = probabilities(s, 0);
    const top = probabilities(applyRelease(s, rel('top_k', ['top_k', { k: 2 }])), 0);
    expect(top[2]).toBe(0);
    expect(top[0]! / top[1]!).toBeCloseTo(p[0]! / p[1]!, 12);
    const rounded = applyRelease(s, rel('probabilities', ['rounding', { decimals: 1 }]));
    expect(Math.exp(rounded.logits[0]!)).toBeCloseTo(Math.round(p[0]! * 10) / 10, 12);
    expect(applyRelease(s, { kind: 'probabilities' })).toBe(s);
  });
  it('the label-only gap attack gives the same scores from labels as from full outputs', () => {
    const ctx = { labels: Int32Array.from([0, 1]), classes: 3, target: s, candidates: [0, 1], shadows: new Map() };
    const def: Unlocated<AttackDef> = {
      kind: 'label_only',
      name: 'g',
      settings: { method: 'gap', augmentations: [], shadows: null },
    };
    expect(Array.from(runAttack(def, ctx))).toEqual([1, 0]);
    expect(Array.from(runAttack(def, { ...ctx, target: applyRelease(s, LABELS) }))).toEqual([1, 0]);
  });
});

describe('output defenses compose in the order written', () => {
  const s = { logits: Float32Array.from([2, 1, 0, -1, 3, 2.9, 0, 0]), classes: 4 };
  const rows = (r: ReturnType<typeof applyRelease>) => [0, 1].map((i) => Array.from(probabilities(r, i)));
  it('top_k(3) then rounding(1) releases the top 3, rounded (before: top 3 unrounded)', () => {
    const p = rows({ logits: s.logits, classes: 4 });
    const out = rows(applyRelease(s, rel('top_k', ['top_k', { k: 3 }], ['rounding', { decimals: 1 }])));
    for (const [r, row] of out.entries()) {
      expect(row.filter((v) => v > 0).length).toBeLessThanOrEqual(3);
      row.forEach((v, i) => expect(v).toBeCloseTo(v > 0 ? Math.round(p[r]![i]! * 10) / 10 : 0, 12));
    }
    expect(out[0]![3]).toBe(0); // the smallest class is hidden by top_k
  });
  it('rounding then top_k is not the same as top_k then rounding where rounding makes ties', () => {
    const t = { logits: Float32Array.from([Math.log(0.34), Math.log(0.33), Math.log(0.33)]), classes: 3 };
    const a = rows(applyRelease(t, rel('top_k', ['rounding', { decimals: 1 }], ['top_k', { k: 1 }])))[0];
    expect(a![0]).toBeCloseTo(0.3, 12);
    expect(a!.slice(1)).toEqual([0, 0]);
    const b = rows(applyRelease(t, rel('top_k', ['top_k', { k: 1 }], ['rounding', { decimals: 0 }])))[0];
    expect(b).toEqual([0, 0, 0]); // 0.34 rounds to 0: every class hidden, every loss infinite
  });
  it('three defenses chained: top_k(2), gaussian noise, rounding(2), each on what the one before released', () => {
    const r = rows(
      applyRelease(
        s,
        rel('top_k', ['top_k', { k: 2 }], ['gaussian_noise', { sigma: 0.05 }], ['rounding', { decimals: 2 }]),
        9,
      ),
    );
    for (const row of r) {
      expect(row.filter((v) => v > 0).length).toBeLessThanOrEqual(2);
      for (const v of row) expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-9);
    }
    // the same seed gives the same draws; another seed others
    const again = rows(applyRelease(s, rel('top_k', ['top_k', { k: 2 }], ['gaussian_noise', { sigma: 0.05 }]), 9));
    expect(again).toEqual(
      rows(applyRelease(s, rel('top_k', ['top_k', { k: 2 }], ['gaussian_noise', { sigma: 0.05 }]), 9)),
    );
    expect(again).not.toEqual(
      rows(applyRelease(s, rel('top_k', ['top_k', { k: 2 }], ['gaussian_noise', { sigma: 0.05 }]), 10)),
    );
    for (const row of again) expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });
  it('labels_only first: whatever follows sees a one-hot row', () => {
    const r = rows(applyRelease(s, rel('labels', ['labels_only', {}], ['top_k', { k: 3 }])));
    expect(r).toEqual([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
  });
});

describe('augmentations', () => {
  const img = Float32Array.from({ length: 9 }, (_, i) => i + 1); // 3×3, one channel
  it('translate shifts with zero fill; rotate by 0° is the identity and by 90° permutes pixels', () => {
    const out = new Float32Array(9);
    translate(img, out, 3, 3, 1, 1, 0);
    expect(Array.from(out)).toEqual([0, 1, 2, 0, 4, 5, 0, 7, 8]);
    rotate(img, out, 3, 3, 1, 0);
    expect(Array.from(out)).toEqual(Array.from(img));
    rotate(img, out, 3, 3, 1, 90);
    expect(
      Array.from(out)
        .map((v) => Math.round(v))
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.round(out[4]!)).toBe(5); // the centre stays
  });
  it('copies: the record, then ±r rotations, 4d translations, seeded noise and 1..max bit flips', () => {
    const image = { shape: [3, 3, 1], kind: 'image' as const };
    expect(
      augmentationCopies(
        [
          { kind: 'rotate', degrees: 5 },
          { kind: 'translate', pixels: 1 },
        ],
        image,
        1,
      ),
    ).toHaveLength(1 + 2 + 4);
    const tab = { shape: [20], kind: 'tabular' as const };
    expect(() => augmentationCopies([{ kind: 'rotate', degrees: 5 }], tab, 1)).toThrow(/needs image data/);
    const bits = Float32Array.from({ length: 40 }, (_, i) => i % 2);
    const ds = { x: bits, n: 2, shape: [20] };
    const copies = augmentationCopies([{ kind: 'flip_bits', count: 3, max: 4 }], tab, 9);
    for (const fn of copies.slice(1)) {
      const a = augmentAll(ds, fn);
      for (let r = 0; r < 2; r++) {
        let flipped = 0;
        for (let i = 0; i < 20; i++) if (a[r * 20 + i] !== bits[r * 20 + i]) flipped++;
        expect(flipped).toBeGreaterThanOrEqual(1);
        expect(flipped).toBeLessThanOrEqual(4);
      }
      expect(Array.from(augmentAll(ds, fn))).toEqual(Array.from(a)); // seeded
    }
    const noisy = augmentationCopies([{ kind: 'noise', sigma: 0.5, queries: 2 }], tab, 4);
    expect(noisy).toHaveLength(3);
    expect(Array.from(augmentAll(ds, noisy[1]!))).toEqual(Array.from(augmentAll(ds, noisy[1]!)));
    expect(Array.from(augmentAll(ds, noisy[1]!))).not.toEqual(Array.from(augmentAll(ds, noisy[2]!)));
  });
});

describe('.npy reading', () => {
  it('round-trips float64, float32, int64 and bool arrays with their shapes', () => {
    const v = [1.5, -2, 3.25, 0, 1e-300, 7];
    for (const dt of ['<f8', '<f4', '<i8', '|b1'] as const) {
      const vals = dt === '<i8' ? [1, -2, 3, 0, 5, 7] : dt === '|b1' ? [1, 0, 1, 0, 0, 1] : v;
      const a = parseNpy(writeNpy([2, 3], vals, dt));
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual(dt === '<f4' ? Array.from(Float32Array.from(vals)) : vals);
    }
  });
  it('reads big-endian int16, reads Fortran order (1-D: the same values), refuses bad magic with a message', () => {
    const header = "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }";
    const h = `${header + ' '.repeat(64 - ((10 + header.length + 1) % 64))}\n`;
    const buf = new Uint8Array(10 + h.length + 4);
    buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
    for (let i = 0; i < h.length; i++) buf[10 + i] = h.charCodeAt(i);
    buf.set([0xff, 0xfe, 0x01, 0x00], 10 + h.length);
    expect(Array.from(parseNpy(buf).data)).toEqual([-2, 256]);
    const fortran = buf.slice();
    const at = h.indexOf('False');
    fortran.set(
      Array.from('True ', (ch) => ch.charCodeAt(0)),
      10 + at,
    );
    expect(Array.from(parseNpy(fortran).data)).toEqual([-2, 256]);
    expect(() => parseNpy(new Uint8Array(20))).toThrow(NpyError);
  });
});

describe('the MLP attack classifier', () => {
  it('learns a non-linear boundary logistic regression cannot, deterministically for a seed', () => {
    const rng = makeRng(3);
    const x: Float64Array[] = [],
      y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const a = rng.next() * 2 - 1,
        b = rng.next() * 2 - 1;
      x.push(Float64Array.from([a, b]));
      y.push(a * b > 0 ? 1 : 0);
    }
    const m = fitMlp(x, y, { seed: 1, epochs: 300, rate: 0.01 });
    const acc = x.filter((xi, i) => (predictMlp(m, xi) > 0.5 ? 1 : 0) === y[i]).length / x.length;
    expect(acc).toBeGreaterThan(0.9);
    const again = fitMlp(x, y, { seed: 1, epochs: 300, rate: 0.01 });
    expect(Array.from(again.w1)).toEqual(Array.from(m.w1));
  });
});

describe('signals from released rows', () => {
  it('a top-1 release is read as released: p_y itself, not renormalised; a hidden class has p 0 and φ −∞', () => {
    const s = applyRelease({ logits: Float32Array.from([5, 0, 0]), classes: 3 }, rel('top_k', ['top_k', { k: 1 }]));
    const p0 = Math.exp(5) / (Math.exp(5) + 2);
    expect(probabilities(s, 0)[0]).toBeCloseTo(p0, 12);
    expect(Array.from(probabilities(s, 0)).slice(1)).toEqual([0, 0]);
    expect(logitConfidence(s, 0, 0)).toBeCloseTo(Math.log(p0 / (1 - p0)), 10); // = 5 − ln 2
    expect(logProbOfLabel(s, 0, 0)).toBeCloseTo(Math.log(p0), 12);
    expect(logitConfidence(s, 0, 1)).toBe(-Infinity);
  });

  it('a rounded release keeps the rounded probabilities, even where they do not sum to 1', () => {
    const s = applyRelease(
      { logits: Float32Array.from([2, 1, 0.2]), classes: 3 },
      rel('probabilities', ['rounding', { decimals: 1 }]),
    );
    const raw = [Math.exp(2), Math.exp(1), Math.exp(0.2)];
    const total = raw[0]! + raw[1]! + raw[2]!;
    const rounded = raw.map((v) => Math.round((v / total) * 10) / 10);
    expect(Array.from(probabilities(s, 0)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual(rounded);
  });
});

describe('the loss from logits', () => {
  it('stays exact for very confident records (no tie at 0 past a margin of 37)', () => {
    const at = (margin: number) =>
      lossOf({ logits: Float64Array.from([margin, ...Array(9).fill(0)]), classes: 10 }, 0, 0);
    // exact: log(1 + 9 e^−m) ≈ 9 e^−m
    for (const m of [36, 38, 40, 50]) expect(at(m) / (9 * Math.exp(-m))).toBeCloseTo(1, 9);
    expect(at(38)).toBeGreaterThan(at(40));
    expect(at(40)).toBeGreaterThan(at(50));
    expect(at(-5)).toBeCloseTo(-Math.log(Math.exp(-5) / (Math.exp(-5) + 9)), 12);
  });
});
