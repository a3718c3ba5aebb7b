/** README.md's tables of kinds and settings are the ones the descriptors print (`npm run kinds-doc`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, kindsMarkdown, withKindsSection } from '../../scripts/kinds-readme.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README tables of kinds', () => {
  it('are in step with the descriptors (run npm run kinds-doc when this fails)', () => {
    expect(withKindsSection(readme)).toBe(readme);
  });

  it('list every kind with each setting, its default and meaning', () => {
    const md = kindsMarkdown();
    expect(md.startsWith(BEGIN) && md.endsWith(END)).toBe(true);
    expect(md).toContain(
      '| | `population_size` | integer, at least 1, at most 10,000,000; 1000 | At most this many population records. |',
    );
    expect(md).toContain(
      '`csv(path) { label, label_column, header, separator, missing, on_missing, categorical, numeric, drop, membership, normalize }`',
    );
    expect(md).toContain('| | `delta` | number, strictly between 0 and 1; 0.00001 |');
  });

  it('would notice a stale section', () => {
    const stale = readme.replace('| | `top` |', '| | `tops` |');
    expect(withKindsSection(stale)).not.toBe(stale);
  });
});
