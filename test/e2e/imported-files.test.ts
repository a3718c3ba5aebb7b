/**
 * `mia run` on an imported model whose manifest names a file outside its folder (sized to match, so
 * only the path gives it away), a link out, or /dev/zero: exit 1 at plan time with the path named, and
 * nothing of the file in the cache or the output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../cli/in-process.js';
import { tempDir } from './helpers.js';

const spec = `experiment leak { seed 1 }
dataset digits = mnist
target t = imported("m/model.json") { members: digits.take(20), nonmembers: digits.take(20) }
attack loss = threshold { signal: loss }
`;

/** Every file under dir, recursively, as text. */
const everything = (dir: string): string =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((f) => join(dir, f))
        .filter((f) => statSync(f).isFile())
        .map((f) => readFileSync(f, 'latin1'))
        .join('')
    : '';

describe('mia run on an imported model naming files outside its folder', () => {
  const passwd = statSync('/etc/passwd').size;
  for (const [name, path, message] of [
    ['.. out of the folder', '../../../../../../../../etc/passwd', /lies outside the model's folder/],
    ['an absolute path', '/etc/passwd', /is an absolute path/],
    ['a link out', 'w.bin', /"w\.bin" is a link to \/etc\/passwd/],
  ] as const)
    it(`refuses ${name} at plan time; nothing of it is stored`, async () => {
      const dir = tempDir();
      const m = join(dir, 'm');
      mkdirSync(m);
      if (path === 'w.bin') symlinkSync('/etc/passwd', join(m, 'w.bin'));
      const layers = [{ class_name: 'Flatten', config: { name: 'f', batch_input_shape: [null, 28, 28, 1] } }];
      const manifest = [{ paths: [path], weights: [{ name: 'leak', shape: [passwd], dtype: 'bool' }] }];
      const topology = { class_name: 'Sequential', config: { name: 's', layers } };
      writeFileSync(join(m, 'model.json'), JSON.stringify({ modelTopology: topology, weightsManifest: manifest }));
      writeFileSync(join(dir, 'e.mia'), spec);
      const cache = join(dir, 'cache');
      const r = await runMain(['run', join(dir, 'e.mia'), '--cache', cache, '--out', join(dir, 'out'), '--quiet']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('model.json');
      expect(r.stderr).not.toContain('root:');
      expect(everything(cache)).not.toContain('root:');
      expect(existsSync(join(dir, 'out', 'results.json'))).toBe(false);
    });
});
