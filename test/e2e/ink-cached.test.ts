/**
 * A cached rerun in a real terminal (tmux, the Ink view): one line says how many jobs the cache spared,
 * no "(cached)" line per job, and the job count is the plan's (never "0/0 jobs"). Piped, the same one line.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

const SPEC = `experiment cachedrun { seed 5 }
dataset buys = synthetic_purchase { records: 400, features: 10, classes: 3 }
model mlp {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 50 }
}
target victim { model mlp, members buys.take(100), nonmembers buys.take(100) }
shadows refs { model mlp, count 2, pool buys.rest, size 100 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs }
report { metrics [auc] }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a cached rerun', () => {
  it('prints one line for the jobs the cache spared, piped and in the Ink view, with the plan’s job count', async () => {
    const dir = tempDir('mia-cached-');
    writeFileSync(join(dir, 'cachedrun.mia'), SPEC);
    const args = ['run', 'cachedrun.mia', '--backend', 'cpu', '--cache', join(dir, 'cache'), '--out', join(dir, 'out')];
    const first = await mia(args, { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const jobs = Number(first.stderr.match(/cachedrun: (\d+) jobs/)?.[1]);
    expect(jobs).toBeGreaterThan(5);
    const piped = await mia(args, { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain('(cached)');
    expect(piped.stderr.match(/✓ \d+ jobs cached/g)).toEqual([`✓ ${jobs} jobs cached`]);

    const sock = `mia-cached-${process.pid}`;
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      `cd '${dir}' && NO_COLOR=1 '${process.execPath}' '${bin}' ${args.map((a) => `'${a}'`).join(' ')}; echo "EXIT:$?"; sleep 120\n`,
    );
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', sock, ...a], { encoding: 'utf8', timeout: 10_000 });
    tmux('new-session', '-d', '-x', '120', '-y', '50', 'sh', script);
    try {
      let screen = '';
      for (const t0 = Date.now(); Date.now() - t0 < 120_000; await sleep(300)) {
        screen = tmux('capture-pane', '-p', '-S', '-', '-J');
        if (/EXIT:\d+/.test(screen)) break;
      }
      expect(screen).toMatch(/EXIT:0/);
      expect(screen).toContain('mia cachedrun · cpu'); // the Ink view
      expect(screen).not.toContain('(cached)');
      expect(screen.match(/✓ \d+ jobs cached/g)).toEqual([`✓ ${jobs} jobs cached`]);
      expect(screen).toContain(`${jobs}/${jobs} jobs`);
      expect(screen).not.toContain(' 0/0 jobs');
    } finally {
      tmux('kill-server');
    }
  });
});
