/**
 * How CSV columns and labels are typed (formats/csv-types.ts, csv-labels.ts, csv-text.ts): missing
 * markers, the 95% rule, text in a numeric column, ID-like columns, drop and forced types, control
 * characters, labels compared as numbers, encodings and line endings, records without features. Every
 * file is written by the test, read from disk as bytes.
 */
import { describe, expect, it } from 'vitest';
import { type CsvOptions, readCsv } from '../../../src/data/index.js';
import { dataErrorOf, put, tempDir } from './helpers.js';

const dir = tempDir();
let files = 0;
/** Writes `text` (or bytes) to a fresh file and reads it. */
const read = (text: string | Uint8Array, opts: Partial<CsvOptions> = {}) =>
  readCsv(put(dir, `t${files++}.csv`, text), { label: 'y', ...opts });
const refused = (text: string | Uint8Array, opts: Partial<CsvOptions> = {}) => dataErrorOf(() => read(text, opts));

/** `n` rows `age,income,y` with `cell(i)` in place of row i's income where it returns a string. */
function incomeCsv(n: number, cell: (i: number) => string | null, sep = ','): string {
  const rows = [['age', 'income', 'y'].join(sep)];
  for (let i = 0; i < n; i++)
    rows.push([20 + (i % 50), cell(i) ?? String(1000 + ((i * 7919) % 5000)), i % 3 ? 'low' : 'high'].join(sep));
  return `${rows.join('\n')}\n`;
}

describe('CSV column types', () => {
  it('2% NA in a numeric column: numeric, those rows dropped and counted, the markers listed (issue 21)', () => {
    const r = read(incomeCsv(2000, (i) => (i % 50 === 7 ? 'NA' : null)));
    expect(r.featureNames).toEqual(['age', 'income']);
    expect(r.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric']);
    expect(r.stats).toMatchObject({ rows: 2000, kept: 1960, dropped: 40, missingBy: { income: 40 }, markers: ['NA'] });
    expect(r.notes.join('\n')).toMatch(
      /markers: "NA", "N\/A", "n\/a", "na", "\?", "", "null", "NaN", "-"\); found "NA"/,
    );
    expect(r.notes.join('\n')).toMatch(/Dropped 40 of 2,000 rows with a missing value \("NA"; income 40\)/);
    // imputed instead: the median, and an indicator feature that is 1 exactly on those rows
    const m = read(
      incomeCsv(2000, (i) => (i % 50 === 7 ? 'NA' : null)),
      { onMissing: 'impute' },
    );
    expect(m.featureNames).toEqual(['age', 'income', 'income (missing)']);
    const ind = Array.from({ length: 2000 }, (_, i) => m.dataset.x[i * 3 + 2]!);
    expect(ind.reduce((a, b) => a + b, 0)).toBe(40);
    expect(ind[7]).toBe(1);
  });

  it('every default marker, and the one the user adds, is a missing value in any column', () => {
    for (const marker of ['NA', 'N/A', 'n/a', 'na', '?', '', 'null', 'NaN', '-', 'unknown']) {
      const r = read(
        incomeCsv(100, (i) => (i === 3 ? marker : null)),
        marker === 'unknown' ? { missing: marker } : {},
      );
      expect(r.stats, marker).toMatchObject({ kept: 99, markers: [marker] });
      expect(r.columns[1]!.kind).toBe('numeric');
    }
    // without declaring it, "unknown" is a value that is not a number, named with its line
    const e = refused(incomeCsv(100, (i) => (i === 3 ? 'unknown' : null)));
    expect(e.line).toBe(5);
    expect(e.message).toMatch(
      /The value "unknown" in the numeric column "income" is not a number \(99% .*missing: "unknown"/,
    );
    // a marker in a text column is missing there too
    const t = read('c,v,y\na,1,p\nNA,2,q\nb,3,p\nb,4,q\n');
    expect(t.stats).toMatchObject({ kept: 3, missingBy: { c: 1 } });
  });

  it('reads numbers written with spaces, signs, exponents and leading dots; refuses hex, inf and decimal commas', () => {
    const r = read('a,b,y\n  7 ,+5,p\n-0.5,1e3,q\n.25,-2E-1,p\n');
    expect(Array.from(r.dataset.x)).toEqual([7, 5, -0.5, 1000, 0.25, -0.2].map(Math.fround));
    for (const [bad, why] of [
      ['0x1F', /is not a number/],
      ['inf', /is not a finite number/],
      ['Infinity', /is not a finite number/],
      ['1e999', /is beyond the largest number/],
      ['"4,5"', /has a comma: mia reads a dot as the decimal mark/],
    ] as const) {
      const e = refused(incomeCsv(60, (i) => (i === 9 ? bad : null)));
      expect(e.line, bad).toBe(11);
      expect(e.message).toMatch(why);
    }
    // a whole column of decimal commas (a European file): refused, not read as 60 categories
    const eu = refused(incomeCsv(60, (i) => `${i},5`, ';'));
    expect(eu.message).toMatch(/The value "0,5" in the numeric column "income" has a comma/);
    expect(eu.line).toBe(2);
  });

  it('a text column is categorical; one with nearly one level per row (an ID) is refused with the fix', () => {
    const ids = (n: number) =>
      `id,v,y\n${Array.from({ length: n }, (_, i) => `user${i},${i % 5},${i % 2 ? 'p' : 'q'}`).join('\n')}\n`;
    const e = refused(ids(60));
    expect(e.message).toMatch(
      /The text column "id" has 60 distinct values in 60 rows \(more than half as many as rows, like an ID.*drop: \["id"\]/,
    );
    expect(read(ids(60), { drop: ['id'] }).featureNames).toEqual(['v']);
    // forced categorical, it is one-hot encoded as asked
    expect(read(ids(60), { categorical: ['id'] }).dataset.shape).toEqual([61]);
    // more than 1,000 levels in many more rows: refused too
    const many = `z,y\n${Array.from({ length: 4000 }, (_, i) => `z${i % 1500},${i % 2}`).join('\n')}\n`;
    expect(refused(many).message).toMatch(/"z" has 1,500 distinct values in 4,000 rows \(more than 1,000/);
    // a few levels stay categorical
    const ok = read(`w,y\n${Array.from({ length: 60 }, (_, i) => `w${i % 4},${i % 2}`).join('\n')}\n`);
    expect(ok.columns[0]).toEqual({ name: 'w', kind: 'categorical', levels: ['w0', 'w1', 'w2', 'w3'] });
  });

  it('a mostly-numeric column with more text than 5%: refused as a numeric column with text, not one-hot per value', () => {
    const e = refused(incomeCsv(100, (i) => (i % 10 === 0 ? `n/k${i}` : null)));
    expect(e.message).toMatch(
      /"income" has \d+ distinct values in 100 rows .*90% of its values are numbers.*numeric: \["income"\]/,
    );
  });

  it('the forced encoding is bounded: 20,000 IDs forced categorical are refused before the 1.6 GB array', () => {
    const text = `id,y\n${Array.from({ length: 20_000 }, (_, i) => `u${i},${i % 2}`).join('\n')}\n`;
    const e = refused(text, { categorical: ['id'] });
    expect(e.message).toMatch(
      /20,000 rows × 20,000 features = 400,000,000 values .* over the limit of 50,000,000.*"id" \(20,000 levels\)/,
    );
  });

  it('refuses a control character (0x1F, NUL, ESC) in any cell or header name, naming line and column', () => {
    for (const [ch, code] of [
      ['\u001f', 'U+001F'],
      ['\u0000', 'U+0000'],
      ['\u001b', 'U+001B'],
    ]) {
      const e = refused(incomeCsv(50, (i) => (i === 20 ? `12${ch}34` : null)));
      expect(e.line).toBe(22);
      expect(e.message).toContain(`The column "income" holds a control character (${code})`);
      const inLabel = refused(`a,y\n1,p\n2,q${ch}\n`);
      expect(inLabel.message).toContain(`The column "y" holds a control character (${code})`);
      expect(inLabel.line).toBe(3);
    }
    // a dropped column is not read
    expect(read('a,b,y\n1,x\u001f,p\n2,z,q\n', { drop: ['b'] }).featureNames).toEqual(['a']);
    expect(refused('a\u0007,y\n1,p\n2,q\n').message).toMatch(/^.*:1: The column "a\\u0007" holds a control character/);
  });

  it('a column with no value is refused with the fix', () => {
    const e = refused(incomeCsv(30, () => 'NA'));
    expect(e.message).toMatch(
      /The column "income" has no value: every row holds a missing-value marker.*drop: \["income"\]/,
    );
  });

  it('drop, categorical and numeric name columns of the header (did you mean?), not the label for drop, not both types', () => {
    const text = incomeCsv(30, () => null);
    expect(read(text, { drop: ['age'] }).featureNames).toEqual(['income']);
    expect(read(text, { categorical: ['age'] }).featureNames[0]).toBe('age=20');
    expect(refused(text, { drop: ['incme'] }).message).toMatch(
      /The column "incme" in drop is not in the header.*Did you mean "income"\?/,
    );
    expect(refused(text, { numeric: ['Age'] }).message).toMatch(/"Age" in numeric .*Did you mean "age"\?/);
    expect(refused(text, { categorical: ['x'] }).message).toMatch(/"x" in categorical is not in the header/);
    expect(refused(text, { categorical: ['age'], numeric: ['age'] }).message).toMatch(
      /both in categorical and in numeric/,
    );
    expect(refused(text, { drop: ['y'] }).message).toMatch(/The label column "y" cannot be dropped/);
  });

  it('records without features are refused: a label column alone, every other column dropped', () => {
    expect(refused('y\na\nb\n').message).toMatch(/only the label column "y": the records would have no feature/);
    expect(refused('a,b,y\n1,2,p\n3,4,q\n', { drop: ['a', 'b'] }).message).toMatch(
      /Every column but the label "y" is dropped/,
    );
  });
});

describe('CSV labels', () => {
  const labelled = (labels: string[]) => `a,y\n${labels.map((l, i) => `${i},${l}`).join('\n')}\n`;

  it('numeric labels compare as numbers: 1, 1.0 and +1 are one class; 2 < 10', () => {
    const r = read(labelled(['1', '1.0', '+1', '2', '10', '2.0']));
    expect(r.classNames).toEqual(['1', '2', '10']);
    expect(Array.from(r.dataset.y)).toEqual([0, 0, 0, 1, 2, 1]);
    // text labels keep their spelling and code-unit order
    expect(read(labelled(['b', 'B', 'a'])).classNames).toEqual(['B', 'a', 'b']);
  });

  it('a label that overflows or is infinite is an error at its line; NA in the label drops the row', () => {
    for (const bad of ['1e999', 'inf', '-Infinity']) {
      const e = refused(labelled(['0', '1', bad, '1']));
      expect(e.line).toBe(4);
      expect(e.message).toMatch(new RegExp(`The label "${bad}" in "y" is not a finite number`));
    }
    const r = read(labelled(['0', '1', 'NA', '1', '']));
    expect(r.stats).toMatchObject({ kept: 3, dropped: 2, missingBy: { y: 2 } });
  });

  it('a stray label 10⁹ is a class of its own, noted with its line; more than 1,000 classes are refused', () => {
    const r = read(labelled(['0', '1', '0', '1000000000', '1']));
    expect(r.classNames).toEqual(['0', '1', '1000000000']);
    expect(r.notes.join(' ')).toMatch(/The class "1000000000" has a single row \(line 5\): a stray label\?/);
    const many = labelled(Array.from({ length: 1500 }, (_, i) => String(i * 0.5)));
    expect(refused(many).message).toMatch(/"y" has 1,500 distinct values; mia takes at most 1,000 classes/);
  });
});

describe('CSV text', () => {
  const text = 'a,b,y\n1,x,p\n2,z,q\n3,x,p\n';
  const plain = () => data(read(text));
  const data = (r: { dataset: { x: Float32Array; y: Int32Array; shape: number[] } }) => {
    const { x, y, shape } = r.dataset;
    return { x, y, shape };
  };

  it('reads UTF-8 with a byte-order mark, UTF-16 LE and BE with one (noted), CR-only and CRLF lines', () => {
    expect(data(read(`\ufeff${text}`))).toEqual(plain());
    expect(read(`\ufeff${text}`).featureNames[0]).toBe('a');
    const le = read(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(data(le)).toEqual(plain());
    expect(le.notes[0]).toMatch(/UTF-16 \(little-endian/);
    const beBytes = Buffer.from(text, 'utf16le').swap16();
    const be = read(Buffer.concat([Buffer.from([0xfe, 0xff]), beBytes]));
    expect(data(be)).toEqual(plain());
    expect(be.notes[0]).toMatch(/UTF-16 \(big-endian/);
    const cr = read(text.replace(/\n/g, '\r'));
    expect(data(cr)).toEqual(plain());
    expect(cr.notes[0]).toMatch(/end with CR only/);
    expect(data(read(text.replace(/\n/g, '\r\n')))).toEqual(plain());
  });

  it('refuses UTF-16 without a byte-order mark and a header naming a column twice', () => {
    expect(refused(Buffer.from(text, 'utf16le')).message).toMatch(/looks like UTF-16 without a byte-order mark.*UTF-8/);
    const dup = refused('a,b,a,y\n1,2,3,p\n4,5,6,q\n');
    expect(dup.line).toBe(1);
    expect(dup.message).toMatch(/The header names the column "a" twice \(columns 0 and 2/);
  });
});
