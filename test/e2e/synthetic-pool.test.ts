/**
 * Shadow data when the attacker has none (Shokri et al. V.C), end to end on tiny synthetic Purchase
 * data: shadows trained on a marginals pool and on a hill_climb pool feed the shadow-model attack,
 * the queries hill climbing spent are in results.json (and the plan names the budget), and an attack
 * that needs candidates IN the shadow models is refused at its setting before anything runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mia, tempDir } from './helpers.js';

const spec = (attacks: string) => `experiment syn { seed 3 }
dataset buys = synthetic_purchase { records: 900, features: 30, classes: 3 }
dataset fake = marginals(buys.take(150)) { records: 300 }
dataset grown = hill_climb(shop) { records: 90, confidence: 0.6, iterations: 100, budget: 100000 }
model mlp {
  layers [dense(12, tanh), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 12, batch: 50 }
}
target shop { model mlp, members buys.take(100), nonmembers buys.take(100) }
shadows stat { model mlp, count 2, pool fake, size 100 }
shadows climb { model mlp, count 2, pool grown, size 45 }
${attacks}
report { metrics [auc, tpr@1%] }
`;

interface Res {
  runs: {
    attacks: { name: string; metrics: { auc: number }; samples: { score: number[] } }[];
    shadowData?: { dataset: string; kind: string; records: number; queries: number; target?: string }[];
  }[];
}

describe('synthesised shadow pools', () => {
  it('trains shadows on marginals and hill-climbed records, scores with them, and records the queries', async () => {
    const dir = tempDir();
    const file = join(dir, 'e.mia');
    writeFileSync(
      file,
      spec(`attack by_stat = shadow_model { shadows: stat }
attack by_climb = shadow_model { shadows: climb }
attack lira = lira { shadows: stat, mode: offline, fixed_variance: true }`),
    );
    const plan = await mia(['plan', file, '--no-cache']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/synthesize\/grown +\w+ +← train\/target\/shop/);
    expect(plan.stdout).toContain('querying target shop (at most 100,000 queries');
    const r = await mia(['run', file, '--out', join(dir, 'out'), '--quiet', '--no-cache']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/shadow data grown: 90 records by hill_climb, [\d,]+ queries to target shop/);
    const res = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as Res;
    const run = res.runs[0]!;
    for (const a of run.attacks) {
      expect(a.samples.score).toHaveLength(200);
      expect(a.samples.score.every(Number.isFinite)).toBe(true);
      expect(new Set(a.samples.score).size).toBeGreaterThan(10); // real scores, not a constant
      expect(a.metrics.auc).toBeGreaterThan(0.3);
    }
    const byName = new Map(run.shadowData!.map((x) => [x.dataset, x]));
    expect(byName.get('fake')).toMatchObject({ kind: 'marginals', records: 300, queries: 0 });
    const grown = byName.get('grown')!;
    expect(grown).toMatchObject({ kind: 'hill_climb', records: 90, target: 'shop' });
    // Every record takes at least one query, and each accepted one more than its first.
    expect(grown.queries).toBeGreaterThanOrEqual(90);
    expect(grown.queries).toBeLessThanOrEqual(100_000);
  }, 240_000);

  it('refuses online LiRA on a synthesised pool at its mode, before any job', async () => {
    const dir = tempDir();
    const file = join(dir, 'e.mia');
    writeFileSync(
      file,
      spec(`shadows half { model mlp, count 2, pool fake, sampling half }
attack on = lira { shadows: half, mode: online }
attack pop = rmia { shadows: stat }`),
    );
    const r = await mia(['run', file, '--out', join(dir, 'out'), '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /e\.mia:13:\d+: error\[E311\]: The online LiRA attack "on" needs models trained with each candidate/,
    );
    expect(r.stderr).toContain('Use mode: offline');
    expect(r.stderr).toMatch(
      /error\[E311\]: The RMIA attack "pop" draws its population from the pool of shadows "stat"/,
    );
    expect(r.stderr).not.toContain('E310');
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  }, 60_000);
});
