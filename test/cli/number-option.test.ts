import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { numberOption } from '../../src/cli/options.js';
import { tempDir } from '../e2e/helpers.js';
import { runMain } from './in-process.js';

describe('numberOption, the one check of numeric flags', () => {
  const positive = (x: number) => x > 0;
  it('returns the number when it is finite and passes the check', () => {
    expect(numberOption('gamma', '2.5', positive, 'a positive number')).toBe(2.5);
    expect(numberOption('delta', '1e-5', positive, 'a positive number')).toBe(1e-5);
  });
  it.each(['', ' ', 'abc', 'Infinity', '-Infinity', 'NaN', '-1', '0'])(
    'refuses %j, naming flag, value and remedy',
    (v) => {
      expect(() => numberOption('gamma', v, positive, 'a positive number')).toThrow(UsageError);
      expect(() => numberOption('gamma', v, positive, 'a positive number')).toThrow(
        `--gamma ${v} is not valid: give a positive number.`,
      );
    },
  );
  it('says a missing flag is missing', () => {
    expect(() => numberOption('epsilon', undefined, positive, 'a positive number')).toThrow(
      '--epsilon is missing: give a positive number.',
    );
  });
});

describe('the commands use it', () => {
  it('mia attack refuses --gamma Infinity as a usage error (exit 2), which x > 0 alone let through', async () => {
    const file = join(tempDir(), 'signals.json');
    writeFileSync(file, '{}');
    const r = await runMain(['attack', '--signals', file, '--gamma', 'Infinity']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--gamma Infinity is not valid: give a positive number.');
  });
  it('mia audit refuses --delta 2 and mia dp-epsilon --epochs -3, each naming the flag', async () => {
    const scores = join(tempDir(), 'scores.json');
    writeFileSync(scores, '{"in": [1], "out": [0]}');
    const a = await runMain(['audit', '--scores', scores, '--delta', '2']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--delta 2 is not valid: give a number in [0, 1).');
    const d = await runMain(['dp-epsilon', '--dataset-size', '100', '--batch-size', '10', '--epochs', '-3']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('--epochs -3 is not valid: give a number above 0, at most 100000.');
  });
});
