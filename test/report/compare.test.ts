/** mia compare's intervals: a paired bootstrap over the same records, checked against a plain recomputation. */
import { describe, expect, it } from 'vitest';
import { bootstrapAucTprCis, percentileInterval } from '../../src/metrics/bootstrap.js';
import { roc } from '../../src/metrics/roc.js';
import { auc } from '../../src/metrics/roc-metrics.js';
import { attackResult, compareHtml, compareResults, compareTable, type ResultsJson } from '../../src/report/index.js';
import { compareIntervals, pairing, type Samples } from '../../src/report/compare-bootstrap.js';
import { makeRng } from '../../src/util/rng.js';

const n = 400;
const member = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
const hard = member.map((_, i) => ((i * 7919) % 997) / 997); // each record's own difficulty, shared by both runs
const side = (lift: number, noise: number): Samples => ({
  record: member.map((_, i) => 1000 + i),
  member,
  score: member.map((m, i) => hard[i]! + m * lift + (((i * 31) % 17) / 17) * noise),
});
const levels = [0.01, 0.1];
const o = { resamples: 200, seed: 5, level: 0.95 };

describe('the paired bootstrap of mia compare', () => {
  it("A's interval is the run's own bootstrap of the same seed; B − A's is the percentile of the same records' differences", () => {
    const A = side(0.2, 0.1);
    const B = side(0.3, 0.1);
    const ci = compareIntervals(A, B, levels, o)!;
    expect(ci.paired).toBe(true);
    const own = bootstrapAucTprCis(A.score, A.member, levels, o);
    expect(ci.metrics[0]!.a).toEqual(own[0]);
    expect(ci.metrics[1]!.a).toEqual(own[1]);
    // the slow way: draw members then non-members, the same positions for both runs, AUC from the ROC
    const rng = makeRng(o.seed);
    const ms = member.flatMap((m, i) => (m ? [i] : []));
    const ns = member.flatMap((m, i) => (m ? [] : [i]));
    const deltas: number[] = [];
    for (let r = 0; r < o.resamples; r++) {
      const idx = [...ms.map(() => ms[rng.int(ms.length)]!), ...ns.map(() => ns[rng.int(ns.length)]!)];
      const aucOf = (s: Samples) =>
        auc(
          roc(
            idx.map((i) => s.score[i]!),
            idx.map((i) => s.member[i]!),
          ),
        );
      deltas.push(aucOf(B) - aucOf(A));
    }
    const want = percentileInterval(deltas, 0.95);
    expect(ci.metrics[0]!.delta[0]).toBeCloseTo(want[0], 12);
    expect(ci.metrics[0]!.delta[1]).toBeCloseTo(want[1], 12);
  });

  it('pairs by record, not by position; a run against itself changes by exactly 0', () => {
    const A = side(0.2, 0.1);
    const B = side(0.25, 0.3);
    const order = member.map((_, i) => (i * 37) % n); // B's records in another order
    const shuffled: Samples = {
      record: order.map((i) => B.record[i]!),
      member: order.map((i) => B.member[i]!),
      score: order.map((i) => B.score[i]!),
    };
    expect(pairing(A, shuffled)).not.toBeNull();
    expect(compareIntervals(A, shuffled, levels, o)).toEqual(compareIntervals(A, B, levels, o));
    for (const m of compareIntervals(A, A, levels, o)!.metrics) expect(m.delta).toEqual([0, 0]);
  });

  it('other candidates: resampled independently, and the change of the paired bootstrap is the narrower', () => {
    const A = side(0.2, 0.05);
    const B = side(0.22, 0.05);
    const other: Samples = { ...B, record: B.record.map((r) => r + 5000) };
    const unpaired = compareIntervals(A, other, levels, o)!;
    const paired = compareIntervals(A, B, levels, o)!;
    expect(unpaired.paired).toBe(false);
    const width = (i: [number, number]) => i[1] - i[0];
    expect(width(paired.metrics[0]!.delta)).toBeLessThan(width(unpaired.metrics[0]!.delta) / 2);
  });
});

function results(lift: number, testAccuracy: number): ResultsJson {
  const attack = (name: string, k: number) =>
    attackResult({
      name,
      kind: 'threshold',
      seed: 1,
      fprLevels: levels,
      record: member.map((_, i) => i),
      label: member.map((_, i) => i % 10),
      score: side(lift * k, 0.1).score,
      member,
    });
  return {
    experiment: 'x',
    seed: 1,
    backend: 'cpu',
    mia: '0',
    runs: [
      {
        params: {},
        target: {
          name: 'victim',
          trainAccuracy: 1,
          testAccuracy,
          generalizationGap: 1 - testAccuracy,
          trainLoss: 0.01,
          testLoss: 0.3,
          vulnerability: 0.5,
        },
        attacks: [attack('loss', 1), attack('conf', 0.1), attack('lira', 1), attack('rmia', 1), attack('shokri', 1)],
      },
    ],
  };
}

describe('mia compare: table and page', () => {
  const A = results(0.1, 0.9);
  const B: ResultsJson = { ...results(0.4, 0.85) };
  // conf: the same scores in both runs, so its change is 0 and its interval holds 0
  B.runs[0]!.attacks[1] = A.runs[0]!.attacks[1]!;
  const changes = compareResults(A, B);

  it('rows for both targets accuracies, then each metric with intervals for A, B and B − A; the bootstrap stated', () => {
    expect(changes.slice(0, 2).map((c) => [c.attack, c.metric, c.a, c.b])).toEqual([
      ['target victim', 'test accuracy', 0.9, 0.85],
      ['target victim', 'train accuracy', 1, 1],
    ]);
    const loss = changes.find((c) => c.attack === 'loss' && c.metric === 'AUC')!;
    expect(loss.separated).toBe(true);
    expect(loss.ciA![0]).toBeLessThan(loss.a!);
    expect(loss.ciB![1]).toBeGreaterThan(loss.b!);
    expect(loss.ciDelta![0]).toBeGreaterThan(0);
    const conf = changes.find((c) => c.attack === 'conf' && c.metric === 'AUC')!;
    expect(conf).toMatchObject({ separated: false, ciDelta: [0, 0], paired: true });
    const table = compareTable(changes, 'a', 'b');
    expect(table).toMatch(/^target victim\s+test accuracy\s+0\.9000\s+0\.8500\s+-0\.0500$/m);
    expect(table).toMatch(
      /^loss\s+AUC\s+0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]\s+0\.\d{4} \[[^\]]+\]\s+\+0\.\d{4} \* \[\+0\.\d{4}, \+0\.\d{4}\]$/m,
    );
    expect(table).toMatch(/^conf\s+AUC\s.*\+0\.0000 \[\+0\.0000, \+0\.0000\]$/m);
    expect(table).toContain('paired');
    expect(table).toContain('1000 resamples, seed 0');
  });

  it('the page colours only changes whose interval excludes 0, and draws one small ROC per attack', async () => {
    const page = await compareHtml(A, B, 'a', 'b', changes);
    const cls = (attack: string) =>
      page.match(new RegExp(`<tr><td>${attack}</td><td class="l">AUC</td>.*?<td class="(\\w+)">`))?.[1];
    expect(cls('loss')).toBe('up');
    expect(cls('conf')).toBe('same');
    expect([...page.matchAll(/data-plot="([^"]+)"/g)].map((m) => m[1])).toEqual(
      [0, 1, 2, 3, 4].map((i) => `roc-compare-${i}`),
    );
    expect(page).toContain('1000 resamples, seed 0');
  });
});
