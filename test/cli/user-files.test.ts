/**
 * Every file a user names goes through util/user-file.ts: a spec over its limit (a sparse file, nothing
 * big written), an imported spec that is a device, a signals array that is /dev/zero or a FIFO, each
 * refused with one line naming it, before a byte is read.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSignalsFile } from '../../src/api/signals-file.js';
import { tempDir } from '../e2e/helpers.js';
import { runMain } from './in-process.js';

describe('files a user names, besides data and models', () => {
  it('refuses a spec over 16 MB before reading it, exit 2', async () => {
    const spec = join(tempDir(), 'huge.mia');
    const fd = openSync(spec, 'w');
    ftruncateSync(fd, 17 * 1024 ** 2);
    closeSync(fd);
    const r = await runMain(['check', spec]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge\.mia: The spec holds 17 MB, over the 16 MB limit of what mia reads/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an imported spec that is a device or a FIFO as unreadable, naming it', async () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [join(dir, 'lib.mia')]).status).toBe(0);
    for (const imp of ['/dev/zero', 'lib.mia']) {
      writeFileSync(join(dir, 'e.mia'), `import "${imp}"\nexperiment e { seed 1 }\n`);
      const r = await runMain(['check', join(dir, 'e.mia')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`Cannot read the imported file "${imp}"`);
    }
  });

  it('refuses a signals array naming /dev/zero or a FIFO', () => {
    const dir = tempDir();
    expect(spawnSync('mkfifo', [join(dir, 'ref.npy')]).status).toBe(0);
    const base = { member: [1, 0], target: { loss: [0.5, 0.6] } };
    for (const [loss, message] of [
      ['/dev/zero', /names \/dev\/zero: This is a character device, not a regular file/],
      ['ref.npy', /names \S*ref\.npy: This is a named pipe/],
    ] as const) {
      writeFileSync(join(dir, 'f.json'), JSON.stringify({ ...base, references: { loss, in: [[1, 0]] } }));
      expect(() => readSignalsFile(join(dir, 'f.json'))).toThrow(message);
    }
  });

  it('mia plan on a data file over 2 GB (sparse): one line naming the file and the limit, exit 1, nothing cached', async () => {
    const dir = tempDir();
    const fd = openSync(join(dir, 'big.csv'), 'w');
    ftruncateSync(fd, 2 * 1024 ** 3 + 1);
    closeSync(fd);
    writeFileSync(
      join(dir, 'e.mia'),
      `experiment e { seed 1 }
dataset d = csv("big.csv") { label: "y" }
model m { layers [dense(4, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 1, batch: 8 } }
target t { model m, members d.take(10), nonmembers d.take(10) }
attack loss = threshold { signal: loss }
`,
    );
    const r = await runMain(['plan', join(dir, 'e.mia'), '--cache', join(dir, 'cache')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /big\.csv: The data file holds 2,147,483,649 bytes, over the 2 GB limit of what mia reads; give a smaller file\./,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'cache', 'datasets'))).toBe(false);
  });
});
