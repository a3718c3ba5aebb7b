import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../src/plan/index.js';
import { program, compilePlan } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];
const hashes = (src: string): Record<string, string> =>
  Object.fromEntries(compilePlan(program(src), datasets, 'wasm').jobs.map((j) => [j.id, j.hash]));

describe('job hashes cover what a job computes, not where the spec says it', () => {
  for (const name of ['quickstart', 'attacks-population', 'attacks-rmia', 'attacks-threshold']) {
    it(`${name}: moving declarations down, reflowing and commenting change no hash`, () => {
      const src = readFileSync(join(root, 'experiments', `${name}.mia`), 'utf8');
      // Blank lines and comments shift every offset; joining lines reflows the blocks.
      const moved = `// a new first line\n\n\n${src.replace(/\n\n/g, '\n\n// a note\n\n')}`;
      const reflowed = src
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/\s*\/\/[^\n]*/g, '')
        .replace(/\n\s+/g, ' ');
      const base = hashes(src);
      expect(Object.keys(base).length).toBeGreaterThan(5);
      expect(hashes(moved)).toEqual(base);
      expect(hashes(reflowed)).toEqual(base);
    });
  }
});
