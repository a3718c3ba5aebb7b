import { describe, expect, it } from 'vitest';
import { detectSeparator, parseCsv, readCsv } from '../../../src/data/index.js';
import { adultPath, dataErrorOf, put, tempDir } from './helpers.js';

const ADULT_LIKE = [
  'age, workclass, fnlwgt, education, Salary',
  '39, State-gov, 77516, Bachelors, <=50K',
  '50, Self-emp, 83311, Bachelors, <=50K',
  '38, Private, 215646, HS-grad, >50K',
  '53, ?, 234721, 11th, <=50K',
  '28, Private, 338409, Bachelors, >50K',
  '',
].join('\n');

const dataError = dataErrorOf;

describe('CSV', () => {
  it("reads Adult's layout: ', ' separator, trimmed header, '?' rows dropped and counted, one-hot in sorted level order", () => {
    const r = parseCsv(ADULT_LIKE, 'adult.csv', { label: 'Salary', missing: '?' });
    expect(r.separator).toBe(', ');
    expect(r.header).toBe(true);
    expect(r.classNames).toEqual(['<=50K', '>50K']);
    expect(r.columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'numeric'],
      ['workclass', 'categorical'],
      ['fnlwgt', 'numeric'],
      ['education', 'categorical'],
    ]);
    expect(r.featureNames).toEqual([
      'age',
      'workclass=Private',
      'workclass=Self-emp',
      'workclass=State-gov',
      'fnlwgt',
      'education=Bachelors',
      'education=HS-grad',
    ]); // "11th" only occurs in the dropped row, so it is no level
    expect(r.stats).toMatchObject({ rows: 5, kept: 4, dropped: 1, missingBy: { workclass: 1 } });
    expect(r.notes.join(' ')).toMatch(/Dropped 1 of 5 rows with a missing value \("\?"; workclass 1\)/);
    const d = r.dataset;
    expect(d).toMatchObject({ n: 4, shape: [7], classes: 2, kind: 'tabular', name: 'adult' });
    expect(Array.from(d.x.subarray(0, 7))).toEqual([39, 0, 0, 1, 77516, 1, 0]);
    expect(Array.from(d.x.subarray(14, 21))).toEqual([38, 1, 0, 0, 215646, 0, 1]);
    expect(Array.from(d.y)).toEqual([0, 0, 1, 1]);
  });

  it('imputes the mode (categorical, ties to the first level) and the median (numeric, with an indicator) on request', () => {
    const text = 'a;b;y\n1;u;p\n?;v;q\n3;?;p\n10;v;q\n2;u;q\n';
    const r = parseCsv(text, 't.csv', { label: 'y', missing: '?', onMissing: 'impute' });
    expect(r.separator).toBe(';');
    expect(r.stats).toMatchObject({ rows: 5, kept: 5, dropped: 0, imputed: { a: 1, b: 1 } });
    expect(r.featureNames).toEqual(['a', 'a (missing)', 'b=u', 'b=v']);
    // a: median of 1, 3, 10, 2 = 2.5, its indicator 1 on that row; b: u and v twice each, u first in order
    expect(Array.from(r.dataset.x)).toEqual([1, 0, 1, 0, 2.5, 1, 0, 1, 3, 0, 1, 0, 10, 0, 0, 1, 2, 0, 1, 0]);
    expect(r.notes.join(' ')).toMatch(/Filled in missing values .*a 1, b 1/);
    // a missing label drops its row even when imputing
    const s = parseCsv('a,y\n1,p\n2,?\n3,q\n', 't.csv', { label: 'y', missing: '?', onMissing: 'impute' });
    expect(s.stats).toMatchObject({ kept: 2, dropped: 1 });
  });

  it('detects tab, semicolon and comma separators and reads quoted fields holding the separator', () => {
    expect(detectSeparator('a\tb\tc\n')).toBe('\t');
    expect(detectSeparator('a;b;"c;d"\n')).toBe(';');
    expect(detectSeparator('a,b, c\n')).toBe(',');
    expect(detectSeparator('"x, y", b, c\n')).toBe(', ');
    const tab = parseCsv('f\tg\tlabel\n0.5\t a b \tx\n1.5\tc\ty\n', 'tab.tsv', { label: 'label' });
    expect(tab.columns[1]).toEqual({ name: 'g', kind: 'categorical', levels: ['a b', 'c'] });
    const quoted = parseCsv('name,v,y\n"Smith, J",1,a\n"Doe, ""K""",2,b\n', 'q.csv', { label: 2 });
    expect(quoted.columns[0]).toEqual({ name: 'name', kind: 'categorical', levels: ['Doe, "K"', 'Smith, J'] });
    // the quoted path (csv-parse) and the plain one give the same dataset
    const plain = parseCsv('a,b,y\n1,x,p\n2,z,q\n', 'p.csv', { label: 'y' });
    const viaQuotes = parseCsv('a,b,y\n1,"x",p\n2,z,"q"\n', 'p.csv', { label: 'y' });
    expect(viaQuotes.dataset).toEqual(plain.dataset);
  });

  it('reads a file without a header, labels by index, numeric labels in numeric order', () => {
    const r = parseCsv('0.1,0.2,10\n0.3,0.4,2\n0.5,0.6,9\n', 'nohead.csv', { label: 2 });
    expect(r.header).toBe(false);
    expect(r.classNames).toEqual(['2', '9', '10']);
    expect(Array.from(r.dataset.y)).toEqual([2, 0, 1]);
    expect(r.featureNames).toEqual(['column 0', 'column 1']);
    // the header read as a row makes a numeric column mostly numbers with text: refused, not one-hot
    const e = dataError(() => parseCsv('a,b,y\n1,2,p\n3,4,q\n', 'h.csv', { label: 2, header: false }));
    expect(e.message).toMatch(/"column 0" has 3 distinct values in 3 rows .*66\.6% of its values are numbers/);
  });

  it('takes declared categorical and numeric columns and refuses text in a numeric one with line, column and value', () => {
    const r = parseCsv('zip,age,y\n123,30,a\n456,40,b\n', 'z.csv', { label: 'y', categorical: ['zip'] });
    expect(r.featureNames).toEqual(['zip=123', 'zip=456', 'age']);
    const ages = Array.from({ length: 30 }, (_, i) => `${i % 3},${20 + i},${i % 2 ? 'a' : 'b'}`);
    ages[4] = '1,forty,b';
    const e = dataError(() => parseCsv(['zip,age,y', ...ages].join('\n'), 'z.csv', { label: 'y' }));
    expect(e.line).toBe(6);
    expect(e.message).toBe(
      'z.csv:6: The value "forty" in the numeric column "age" is not a number (96.6% of the column\'s values are numbers). Fix it, add it to the missing markers (missing: "forty"), or force the column\'s type (categorical: ["age"]).',
    );
    // forced numeric: any text is refused, however few numbers there are
    const n = dataError(() => parseCsv('a,y\n1,p\nx,q\n', 'n.csv', { label: 'y', numeric: ['a'] }));
    expect(n.message).toMatch(/^n\.csv:3: The value "x" in the column "a" \(declared numeric\) is not a number/);
    expect(dataError(() => parseCsv('a,y\n1,p\n', 'z.csv', { label: 'y', categorical: ['b'] })).message).toMatch(
      /The column "b" in categorical is not in the header/,
    );
  });

  it('refuses rows with too few or too many fields, naming the line', () => {
    const few = dataError(() => parseCsv('a,b,y\n1,2,p\n\n3,q\n', 'few.csv', { label: 'y' }));
    expect(few.line).toBe(4);
    expect(few.message).toMatch(/has 2 fields but the header has 3/);
    const many = dataError(() => parseCsv('a,b,y\n1,2,p\n3,4,q,5\n', 'many.csv', { label: 'y' }));
    expect(many.line).toBe(3);
    const quoted = dataError(() => parseCsv('a,b,y\n"1\n2",2,p\n3,q\n', 'mq.csv', { label: 'y' }));
    expect(quoted.line).toBe(4);
    const open = dataError(() => parseCsv('a,b,y\n1,"2,p\n', 'open.csv', { label: 'y' }));
    expect(open.message).toMatch(/not valid CSV/);
  });

  it('refuses an unknown label column with a suggestion from the header', () => {
    const e = dataError(() => parseCsv(ADULT_LIKE, 'adult.csv', { label: 'salary ', missing: '?' }));
    expect(e.message).toMatch(/Did you mean "Salary"\?/);
    expect(dataError(() => parseCsv(ADULT_LIKE, 'adult.csv', { label: 'Salry' })).message).toMatch(
      /There is no column "Salry".*Did you mean "Salary"\?/,
    );
    expect(dataError(() => parseCsv(ADULT_LIKE, 'adult.csv', { label: 7 })).message).toMatch(/numbered 0 to 4/);
  });

  it('refuses Infinity and overflow in a numeric column, a single class, and empty or missing files', () => {
    const rows = (bad: string) => [
      'a,y',
      ...Array.from({ length: 24 }, (_, i) => `${i},${i % 2 ? 'p' : 'q'}`),
      `${bad},q`,
    ];
    for (const bad of ['inf', '-Infinity', '1e999', '1e39']) {
      const e = dataError(() => parseCsv(rows(bad).join('\n'), 'n.csv', { label: 'y' }));
      expect(e.message).toMatch(
        new RegExp(`The value "${bad}" in the numeric column "a" is (not a finite number|beyond)`),
      );
      expect(e.line).toBe(26);
    }
    expect(dataError(() => parseCsv('a,y\n1,p\n2,p\n', 's.csv', { label: 'y' })).message).toMatch(
      /at least two classes/,
    );
    expect(dataError(() => parseCsv('a,y\n1,?\n', 's.csv', { label: 'y', missing: '?' })).message).toMatch(
      /Every row has a missing value/,
    );
    expect(dataError(() => parseCsv('a,y\n', 'h.csv', { label: 'y', header: true })).message).toMatch(/no rows/);
    const dir = tempDir();
    expect(dataError(() => readCsv(put(dir, 'empty.csv', ''), { label: 'y' })).message).toMatch(/empty/);
    const missing = dataError(() => readCsv(`${dir}/nope.csv`, { label: 'y' }));
    expect(missing.file).toBe(`${dir}/nope.csv`);
    expect(missing.message).toMatch(/does not exist/);
  });

  const adult = adultPath();
  if (!adult) console.warn('Skipping the real Adult test: ../shared/datasets/adult/adult.csv is absent.');
  it.skipIf(!adult)(
    'loads the real UCI Adult file: 32,561 rows, 2,399 with "?" dropped, 6 numeric and 8 categorical columns',
    () => {
      const r = readCsv(adult!, { label: 'Salary', missing: '?' });
      expect(r.stats).toMatchObject({ rows: 32_561, kept: 30_162, dropped: 2_399 });
      expect(r.classNames).toEqual(['<=50K', '>50K']);
      expect(r.columns.filter((c) => c.kind === 'numeric')).toHaveLength(6);
      expect(r.columns.filter((c) => c.kind === 'categorical')).toHaveLength(8);
      const all = readCsv(adult!, { label: ' Salary', missing: '?', onMissing: 'impute' });
      expect(all.dataset.n).toBe(32_561);
      expect(all.dataset.y.filter((y) => y === 0).length).toBe(24_720);
      expect(all.dataset.y.filter((y) => y === 1).length).toBe(7_841);
      const country = all.columns.find((c) => c.name === 'native-country');
      expect(country?.kind === 'categorical' && country.levels.length).toBe(41); // 42 values with "?"
    },
  );
});
