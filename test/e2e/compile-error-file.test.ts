/** A compile error about a definition in an imported file points into that file, with its code frame. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mia, tempDir } from './helpers.js';

describe('compile errors name the file of their definition', () => {
  it('points into the imported file that declares the shadows', async () => {
    const dir = tempDir('mia-import-');
    writeFileSync(
      join(dir, 'common.mia'),
      `// shared declarations
dataset other = mnist
model small {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 1, batch: 32 }
}
shadows refs { model small, count 2, pool other.rest, size 100 }
`,
    );
    const main = join(dir, 'main.mia');
    writeFileSync(
      main,
      `import "common.mia"
experiment e { seed 1 }
dataset digits = mnist
target victim { model small, members digits.take(100), nonmembers digits.take(100) }
attack t = threshold { calibration: per_class, shadows: refs }
`,
    );
    const r = await mia(['plan', main, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'common.mia')}:7:43: error[E406]: The pool of shadows "refs"`);
    expect(r.stderr).toContain('7 | shadows refs { model small, count 2, pool other.rest, size 100 }');
    expect(r.stderr).not.toMatch(/main\.mia:\d+:\d+/);
  });
});
