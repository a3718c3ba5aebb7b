/**
 * Slices by a declared column (`report { slices [class, "sex"] }`) and expectations over slices
 * (`lira[class].tpr@1% < 5%`): the column's raw values per record, the checker's and the reader's
 * diagnostics, and the verdict over every slice (failing and passing, the deciding slice named, an
 * unmeasurable slice failing with its reason). The end-to-end run is test/e2e/slices.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SLICE_VALUES, sliceColumns, sliceKey } from '../../src/plan/slices.js';
import { csvColumnValues, MISSING_VALUE } from '../../src/data/formats/csv-column-values.js';
import { parseCsv } from '../../src/data/formats/csv.js';
import { sliceMetrics } from '../../src/metrics/index.js';
import { evaluateExpectations, expectationLines } from '../../src/report/expectations.js';
import type { RunResult } from '../../src/report/results.js';
import { parse, print } from '../../src/lang/index.js';
import { check } from '../check/helpers.js';
import { loadSource } from '../../src/cli/load.js';
import { memoryHost } from '../check/helpers.js';

const CSV = `age,sex,race,income,label
30,F,a,10,yes
41,M,?,12,no
52,?,b,NA,yes
23,M,b,15,no
35,F,c,9,yes
`;

describe('a CSV column per record', () => {
  it('is aligned with the records parseCsv keeps, for a feature, a dropped column and the label', () => {
    const opts = { label: 'label', drop: ['race'] };
    const kept = parseCsv(CSV, 'p.csv', opts).dataset.n; // the row with missing sex and income is dropped
    expect(kept).toBe(4);
    expect(csvColumnValues(CSV, 'p.csv', opts, 'sex')).toEqual({ values: ['F', 'M', 'M', 'F'] });
    // a dropped column keeps its missing marker, read as (missing)
    expect(csvColumnValues(CSV, 'p.csv', opts, 'race')).toEqual({ values: ['a', MISSING_VALUE, 'b', 'c'] });
    expect(csvColumnValues(CSV, 'p.csv', opts, 'label')).toEqual({ values: ['yes', 'no', 'no', 'yes'] });
    // imputing keeps every row: the missing cell is (missing), not the imputed value
    const all = csvColumnValues(CSV, 'p.csv', { ...opts, onMissing: 'impute' }, 'sex');
    expect(all).toEqual({ values: ['F', 'M', MISSING_VALUE, 'M', 'F'] });
  });

  it('an unknown column gives the columns there are', () => {
    expect(csvColumnValues(CSV, 'p.csv', { label: 'label' }, 'sexx')).toEqual({
      unknown: true,
      names: ['age', 'sex', 'race', 'income', 'label'],
    });
  });
});

const TAB = `experiment t { seed 1 }
dataset people = csv("p.csv") { label: "label" }
model mlp {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 32 }
}
target victim { model mlp, members people.take(2), nonmembers people.take(2) }
attack loss = threshold { signal: loss }
`;
const codes = (src: string): string[] => check(src).map((d) => `${d.code} ${d.message}`);

describe('diagnostics', () => {
  it('reads class and quoted columns; refuses other forms, warns on a repeat', () => {
    expect(codes(`${TAB}report { slices [class, "sex"] }`)).toEqual([]);
    const p = loadSource('spec.mia', `${TAB}report { slices [class, "sex", "race"] }`, memoryHost({})).program!;
    expect(p.report.slices?.map((s) => (s.by === 'class' ? 'class' : s.column))).toEqual(['class', 'sex', 'race']);
    expect(codes(`${TAB}report { slices [sex] }`)).toEqual([
      'E157 Unknown slice "sex". A column\'s name is written in quotes: "sex".',
    ]);
    expect(codes(`${TAB}report { slices [klass] }`)[0]).toMatch(/^E157 Unknown slice "klass"\. Did you mean "class"\?/);
    expect(codes(`${TAB}report { slices [3] }`)[0]).toMatch(/^E157 /);
    expect(codes(`${TAB}report { slices [""] }`)[0]).toMatch(/^E157 /);
    expect(codes(`${TAB}report { slices ["class"] }`)[0]).toMatch(/^E157 .*write class, without quotes/);
    expect(codes(`${TAB}report { slices "sex" }`).length).toBe(1);
    expect(codes(`${TAB}report { slices [class, "sex", "sex"] }`)).toEqual([
      'W157 The slice "sex" is listed twice; it is reported once.',
    ]);
  });

  it('refuses column slices of images and of generated tables, at the slice (E158)', () => {
    const images = TAB.replace('csv("p.csv") { label: "label" }', 'mnist');
    const d = check(`${images}report { slices [class, "sex"] }`).filter((x) => x.code === 'E158');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toMatch(/"sex" need a table with named columns, and the dataset "people" holds images/);
    expect(d[0]!.range.start.column).toBe(25);
    const generated = TAB.replace(
      'csv("p.csv") { label: "label" }',
      'synthetic_purchase { records: 100, features: 10, classes: 2 }',
    );
    expect(codes(`${generated}expect { loss["sex"].auc < 0.6 }`)[0]).toMatch(/^E158 .*is generated/);
    // class slices of images are fine
    expect(codes(`${images}report { slices [class] }\nexpect { loss[class].auc < 0.9 }`)).toEqual([]);
  });

  it('expectations over slices: class or a quoted column of an attack, nothing else', () => {
    expect(codes(`${TAB}expect { loss[class].tpr@1% < 5%, loss["sex"].auc < 0.6 }`)).toEqual([]);
    // a column an expectation names is sliced by, as a tpr level it names is computed
    const p = loadSource('spec.mia', `${TAB}expect { loss["sex"].auc < 0.6 }`, memoryHost({})).program!;
    expect(p.report.slices?.map((s) => s.by === 'column' && s.column)).toEqual(['sex']);
    expect(codes(`${TAB}expect { loss[klass].auc < 0.6 }`)[0]).toMatch(/^E264 .*not "klass"\. Did you mean "class"\?/);
    expect(codes(`${TAB}expect { loss["class"].auc < 0.6 }`)[0]).toMatch(/^E264 /);
    expect(codes(`${TAB}expect { victim[class].test_accuracy > 50% }`)[0]).toMatch(
      /^E264 Only an attack's metrics have slices: "victim" is a target/,
    );
    expect(codes(`${TAB}expect { lss[class].auc < 0.6 }`)[0]).toMatch(/^E260 Unknown attack or target "lss".*"loss"/);
    expect(codes(`${TAB}expect { loss[class].auc < 0 }`)[0]).toMatch(/^W260 /);
  });

  it('prints and parses back: lira[class].tpr@1%, lira["sex"].auc.ci.upper', () => {
    const src = `${TAB}expect { loss[class].tpr@1% < 5%, loss["sex"].auc.ci.upper < 0.6 }\n`;
    const once = print(parse(src).value);
    expect(once).toContain('loss[class].tpr@1% < 5%, loss["sex"].auc.ci.upper < 0.6');
    expect(print(parse(once).value)).toBe(once);
    expect(parse(`${TAB}expect { loss[class.auc < 0.6 }`).diagnostics.some((d) => d.code === 'E002')).toBe(true);
  });
});

describe('the planner (E411)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mia-slices-'));
  const rows = Array.from({ length: 120 }, (_, i) => `${i},${i % 2 ? 'F' : 'M'},${i % 3}`);
  writeFileSync(join(dir, 'p.csv'), `age,sex,label\n${rows.join('\n')}\n`);
  const source = loadSource('spec.mia', TAB, memoryHost({})).program!.datasets[0]!.source; // defaults filled
  const datasets = [{ name: 'people', source, context: { dir, cacheDir: dir, seed: 1 } }] as never;
  const target = (n: number) => ({
    target: { name: 'victim', dataset: 'people', members: [...Array(n).keys()], nonmembers: [60, 61] },
  });
  const slicesOf = (list: string) =>
    loadSource('spec.mia', `${TAB}report { slices [${list}] }`, memoryHost({})).program!;

  it('takes a column of at most 50 values among the candidates, and counts only the candidates', () => {
    const sex = sliceColumns(slicesOf('class, "sex"'), datasets, [target(50)] as never);
    expect(sex?.columns).toEqual(['sex']);
    // the values read for the check are kept for the run, which slices by them without reading the file again
    expect(sex?.values.get(sliceKey('people', 'sex'))).toEqual(rows.map((r) => r.split(',')[1]));
    expect(sliceColumns(slicesOf('"age"'), datasets, [target(MAX_SLICE_VALUES - 2)] as never)?.columns).toEqual([
      'age',
    ]);
    expect(sliceColumns(slicesOf('class'), datasets, [target(50)] as never)).toBeUndefined();
  });

  it('refuses more values, and an unknown column with a near name, at the slice', () => {
    const many = () => sliceColumns(slicesOf('"age"'), datasets, [target(MAX_SLICE_VALUES)] as never);
    expect(many).toThrow(
      'The column "age" takes 52 distinct values among the 52 candidates of target "victim"; slices are reported for at most 50 values.',
    );
    try {
      sliceColumns(slicesOf('"Sex"'), datasets, [target(5)] as never);
      expect.unreachable();
    } catch (e) {
      const d = (e as { diagnostic: { code: string; message: string; range: { start: { column: number } } } })
        .diagnostic;
      expect(d.code).toBe('E411');
      expect(d.message).toBe('There is no column "Sex" in the data of "people" to slice by. Did you mean "sex"?');
      expect(d.range.start.column).toBe(18);
    }
  });
});

/** A run whose attack `a` has class and sex slices over 8 + 8 candidates (scores chosen per slice). */
function run(): RunResult {
  const score = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.85, 0.1, 0.55, 0.45, 0.35, 0.25, 0.15, 0.05];
  const member = score.map((_, i) => (i < 8 ? 1 : 0));
  const label = score.map((_, i) => i % 2);
  const sex = score.map((_, i) => (i % 4 < 2 ? 'F' : 'M'));
  const fprLevels = [0.01, 0.5];
  const slices = [
    ...sliceMetrics({ by: 'class', score, member, groups: label, fprLevels, seedOf: () => 1 }),
    ...sliceMetrics({ by: 'sex', score, member, groups: sex, fprLevels, seedOf: () => 2 }),
  ];
  const metrics = slices[0]!.metrics!;
  return {
    params: {},
    target: {} as RunResult['target'],
    attacks: [
      {
        name: 'a',
        kind: 'threshold',
        metrics,
        perClass: [],
        samples: { record: [], label, score, member },
        slices,
      },
    ],
  };
}

describe('expectations over slices', () => {
  const program = { attacks: [{ name: 'a' }], targets: [{ name: 'victim' }] } as never;
  const judge = (text: string) => {
    const p = loadSource('spec.mia', `${TAB.replace(/attack loss/, 'attack a')}expect { ${text} }`, memoryHost({}));
    const defs = p.program!.report.expectations!;
    return evaluateExpectations(defs, program, { runs: [run()] });
  };
  const aucOf = (by: string, value: string | number) =>
    run().attacks[0]!.slices!.find((s) => s.by === by && s.value === value)!.metrics!.auc;

  it('every slice must hold: the point is the slice that decides it, named', () => {
    const worstSex = Math.max(aucOf('sex', 'F'), aucOf('sex', 'M'));
    const sexName = aucOf('sex', 'F') >= aucOf('sex', 'M') ? 'sex = F' : 'sex = M';
    const [fails, holds] = [judge(`a["sex"].auc < ${worstSex}`)[0]!, judge(`a["sex"].auc <= ${worstSex}`)[0]!];
    expect(fails.holds).toBe(false);
    expect(fails.points[0]).toMatchObject({ value: worstSex, holds: false, slice: sexName });
    expect(holds.holds).toBe(true);
    expect(expectationLines([fails])[0]).toBe(
      `FAIL  a["sex"].auc < ${worstSex}  (${+worstSex.toPrecision(4)}, ${sexName})`,
    );
    // against > the lowest slice decides
    const lowest = Math.min(aucOf('class', 0), aucOf('class', 1));
    const low = judge(`a[class].auc > ${lowest}`)[0]!;
    expect(low.points[0]).toMatchObject({ value: lowest, holds: false });
    expect(low.points[0]!.slice).toMatch(/^class [01]$/);
    expect(judge(`a[class].auc >= ${lowest}`)[0]!.holds).toBe(true);
  });

  it('a TPR level a slice cannot measure fails the point, naming the slice and why, never a value', () => {
    const v = judge('a[class].tpr@1% < 100%')[0]!;
    expect(v.holds).toBe(false);
    expect(v.points[0]!.value).toBeNull();
    expect(v.points[0]!.slice).toBe('class 0');
    expect(v.points[0]!.reason).toMatch(/4 non-members are too few to measure tpr@1%/);
    expect(expectationLines([v])[0]).toMatch(/^FAIL {2}a\[class\]\.tpr@1% < 100% {2}\(no value, class 0: its 4/);
    // at 50% every slice is measured
    expect(judge('a[class].tpr@50% <= 100%')[0]!.holds).toBe(true);
  });

  it('results without slices of the column fail the point, with no value', () => {
    const v = judge('a["race"].auc < 1')[0]!;
    expect(v.points[0]).toMatchObject({ value: null, holds: false });
  });
});
