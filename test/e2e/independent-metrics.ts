import { expect } from 'vitest';

/**
 * Metrics recomputed from results.json samples by a deliberately different method: brute force over
 * every candidate threshold and pairwise counting (O(n²)), no sorting or grouping shared with
 * src/metrics.
 */
export function bruteMetrics(score: number[], member: number[], levels: number[]) {
  const pos = score.filter((_, i) => member[i] === 1);
  const neg = score.filter((_, i) => member[i] === 0);
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  const auc = wins / (pos.length * neg.length);
  const thresholds = [Infinity, ...new Set(score)];
  const points = thresholds.map((t) => ({
    tpr: pos.filter((s) => s >= t).length / pos.length,
    fpr: neg.filter((s) => s >= t).length / neg.length,
  }));
  const tprAtFpr: Record<string, number> = {};
  for (const a of levels) tprAtFpr[String(a)] = Math.max(...points.filter((p) => p.fpr <= a).map((p) => p.tpr));
  const advantage = Math.max(...points.map((p) => p.tpr - p.fpr));
  return { auc, tprAtFpr, advantage, balancedAccuracy: (1 + advantage) / 2 };
}

export interface Summary {
  auc: number;
  tprAtFpr: Record<string, number>;
  balancedAccuracy: number;
  advantage: number;
  ci: { auc: [number, number]; tprAtFpr: Record<string, [number, number]> };
}
export interface Results {
  runs: {
    target: {
      trainAccuracy: number;
      testAccuracy: number;
      generalizationGap: number;
      trainLoss: number;
      testLoss: number;
      vulnerability: number | null;
    };
    attacks: {
      name: string;
      kind: string;
      metrics: Summary;
      perClass: { class: number; members: number; nonMembers: number; metrics: Summary | null }[];
      samples: { record: number[]; label: number[]; score: number[]; member: number[] };
    }[];
  }[];
}

export function expectMetricsAgree(a: Results['runs'][number]['attacks'][number]): void {
  const b = bruteMetrics(a.samples.score, a.samples.member, [0.001, 0.01, 0.1]);
  expect(Math.abs(a.metrics.auc - b.auc)).toBeLessThan(1e-9);
  expect(Math.abs(a.metrics.advantage - b.advantage)).toBeLessThan(1e-9);
  expect(Math.abs(a.metrics.balancedAccuracy - b.balancedAccuracy)).toBeLessThan(1e-9);
  for (const k of ['0.001', '0.01', '0.1'])
    expect(Math.abs(a.metrics.tprAtFpr[k]! - b.tprAtFpr[k]!)).toBeLessThan(1e-9);
  expect(a.metrics.ci.auc[0]).toBeLessThanOrEqual(a.metrics.ci.auc[1]);
  expect(a.metrics.ci.auc[0]).toBeLessThan(a.metrics.auc + 0.05);
  expect(a.metrics.ci.auc[1]).toBeGreaterThan(a.metrics.auc - 0.05);
  for (const c of a.perClass) {
    if (!c.metrics) continue;
    const rows = a.samples.label.map((l, i) => (l === c.class ? i : -1)).filter((i) => i >= 0);
    const bc = bruteMetrics(
      rows.map((i) => a.samples.score[i]!),
      rows.map((i) => a.samples.member[i]!),
      [],
    );
    expect(Math.abs(c.metrics.auc - bc.auc)).toBeLessThan(1e-9);
  }
}
