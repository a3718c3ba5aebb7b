/**
 * Slices by a declared column, end to end: a small synthetic CSV with a `sex` column (and a `race` column
 * dropped from the features), one run with class, sex and race slices and expectations over them. Each
 * slice's AUC and TPRs equal an independent computation from results.json's own samples; the terminal
 * shows the slices table with the slice that leaks most, flags what a slice cannot measure, and the gate
 * names the failing slice (exit 3); the report shows the column slices. The planner refuses an unknown
 * column before any job runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { miaAsync, tempDir, type Ran } from './helpers.js';
import { bruteMetrics } from './independent-metrics.js';

/** 400 rows: age (many values), sex, race (dropped), income, a label depending on income and sex. */
function csv(): string {
  let s = 12345;
  const rnd = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rows = ['age,sex,race,income,label'];
  for (let i = 0; i < 400; i++) {
    const sex = rnd() < 0.5 ? 'F' : 'M';
    const race = ['a', 'b', 'c'][Math.floor(rnd() * 3)]!;
    const income = Math.round((30 + rnd() * 40) * 10) / 10;
    const label = income + (sex === 'M' ? 5 : 0) + rnd() * 20 > 60 ? 1 : 0;
    rows.push(`${18 + Math.floor(rnd() * 60)},${sex},${race},${income},${label}`);
  }
  return `${rows.join('\n')}\n`;
}

const spec = (slices: string, expectations: string): string => `experiment people { seed 3 }
dataset people = csv("people.csv") { label: "label", drop: ["race"] }
model mlp {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 3, batch: 32 }
}
target victim { model mlp, members people.take(100), nonmembers people.take(100) }
attack loss = threshold { signal: loss }
report { metrics [auc, tpr@1%, tpr@10%], slices [${slices}] }
expect { ${expectations} }
`;

interface Slice {
  by: string;
  value: number | string;
  members: number;
  nonMembers: number;
  metrics: {
    auc: number;
    tprAtFpr: Record<string, number>;
    ci: { auc: [number, number]; tprAtFpr: Record<string, [number, number]> };
    flags?: { reason: string; levels?: string[] }[];
  } | null;
}
interface Results {
  expectations: { expectation: string; holds: boolean; points: { value: number | null; slice?: string }[] }[];
  runs: {
    attacks: {
      name: string;
      samples: { record: number[]; label: number[]; score: number[]; member: number[] };
      slices: Slice[];
      worstSlice: { by: string; value: string | number; auc: number };
    }[];
  }[];
}

describe('slices by a CSV column (end to end)', () => {
  const dir = tempDir('mia-slices-');
  let ran: Ran;
  let results: Results;
  beforeAll(async () => {
    writeFileSync(join(dir, 'people.csv'), csv());
    writeFileSync(
      join(dir, 's.mia'),
      spec('class, "sex", "race"', 'loss["sex"].auc < 0.99, loss[class].tpr@10% < 0.1%, loss["race"].tpr@1% < 100%'),
    );
    ran = await miaAsync(['run', join(dir, 's.mia'), '--out', join(dir, 'out'), '--no-cache', '--jobs', '1']);
    results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as Results;
  }, 120_000);

  it('results.json: a slice per value of each column, its TPRs equal to an independent computation', () => {
    const rows = csv()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const a = results.runs[0]!.attacks[0]!;
    const { record, score, member, label } = a.samples;
    expect(a.slices.map((s) => `${s.by}=${s.value}`)).toEqual([
      'class=0',
      'class=1',
      'sex=F',
      'sex=M',
      'race=a',
      'race=b',
      'race=c',
    ]);
    const groupOf = (by: string, i: number): string | number =>
      by === 'class' ? label[i]! : rows[record[i]!]![by === 'sex' ? 1 : 2]!;
    for (const s of a.slices) {
      const idx = record.map((_, i) => i).filter((i) => groupOf(s.by, i) === s.value);
      expect(s.members + s.nonMembers).toBe(idx.length);
      const want = bruteMetrics(
        idx.map((i) => score[i]!),
        idx.map((i) => member[i]!),
        [0.01, 0.1],
      );
      expect(s.metrics!.auc).toBeCloseTo(want.auc, 10);
      for (const l of ['0.01', '0.1']) expect(s.metrics!.tprAtFpr[l]).toBeCloseTo(want.tprAtFpr[l]!, 10);
      expect(s.metrics!.ci.auc[0]).toBeLessThanOrEqual(s.metrics!.ci.auc[1]);
      // fewer than 100 non-members in every slice: TPR at 1% is flagged, not a result
      expect(s.nonMembers).toBeLessThan(100);
      expect(s.metrics!.flags?.some((f) => f.reason === 'tpr_at_zero_fp' && f.levels?.includes('0.01'))).toBe(true);
    }
    const top = a.slices.reduce((p, q) => (q.metrics!.auc > p.metrics!.auc ? q : p));
    expect(a.worstSlice).toEqual({ by: top.by, value: top.value, auc: top.metrics!.auc });
  });

  it('the gate names the failing slice; the terminal shows the slices, flagged cells as *', () => {
    expect(ran.code).toBe(3);
    const [sex, cls, race] = results.expectations;
    expect(sex!.holds).toBe(true);
    expect(cls!.holds).toBe(false);
    expect(cls!.points[0]!.slice).toMatch(/^class [01]$/);
    expect(ran.stdout).toMatch(/FAIL {2}loss\[class\]\.tpr@10% < 0\.1% {2}\([\d.]+%, class [01]\)/);
    // TPR at 1% cannot be measured in these slices: the expectation fails with the reason, not a value
    expect(race!.holds).toBe(false);
    expect(race!.points[0]!.value).toBeNull();
    expect(ran.stdout).toMatch(
      /FAIL {2}loss\["race"\]\.tpr@1% < 100% {2}\(no value, race = a: its \d+ non-members are too few/,
    );
    expect(ran.stdout).toMatch(
      /slices: the one that leaks most is (class \d|sex = [FM]|race = [abc]), to loss \(AUC 0\.\d{3}\)/,
    );
    expect(ran.stdout).toMatch(/\nsex = F +\d+\/\d+ +0\.\d{3} \[0\.\d{3}, 0\.\d{3}\] +0\.\d{3} \[/);
    const report = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(report).toContain('sex = M');
    expect(report).toContain('race = c');
    expect(report).toContain('AUC per slice (95% intervals)');
    expect(report).not.toContain('AUC per class');
  });

  // (too many values: test/report/column-slices.test.ts, without a process)
  it('the planner refuses an unknown column, before any job', async () => {
    writeFileSync(join(dir, 'u.mia'), spec('class, "sexx"', 'loss.auc < 1'));
    const u = await miaAsync(['plan', join(dir, 'u.mia'), '--no-cache']);
    expect(u.code).toBe(1);
    expect(u.stderr).toMatch(
      /u\.mia:9:\d+: error\[E411\]: There is no column "sexx" in the data of "people" to slice by\. Did you mean "sex"\?/,
    );
  });
});
