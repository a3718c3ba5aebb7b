/**
 * The live (Ink) view in a real terminal (tmux, 160 columns) shows the lines the piped output has: the DP
 * target's ε/δ/σ, the shadow data's query counts and the privacy and utility table per target.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

const SPEC = `experiment inky { seed 3 }
dataset buys = synthetic_purchase { records: 600, features: 20, classes: 4 }
dataset stats = marginals(buys.take(100)) { records: 200 }
model mlp {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 50 }
}
target plain { model mlp, members buys.take(100), nonmembers buys.take(100) }
target private {
  model mlp, members buys.take(100), nonmembers buys.take(100)
  defenses [dp_sgd { noise: 1, clip: 1, delta: 1e-5 }]
}
shadows marg { model mlp, count 1, pool stats, size 50 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: marg }
report { metrics [auc, tpr@10%] }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the Ink view in a real terminal', () => {
  it('shows ε/δ/σ, the shadow data line and the table per target, the same lines as the piped output', async () => {
    const dir = tempDir('mia-ink-');
    writeFileSync(join(dir, 'inky.mia'), SPEC);
    const piped = await mia(['run', 'inky.mia', '--backend', 'cpu', '--out', join(dir, 'piped')], { cwd: dir });
    expect(piped.code).toBe(0);
    const wanted = piped.stdout
      .split('\n')
      .filter((l) => /^(target |shadow data |privacy and utility per target:|plain |private )/.test(l));
    expect(wanted.some((l) => /^target private \[dp_sgd\]: .*ε \d+\.\d{3} \(δ 0\.00001, σ 1\.000\)$/.test(l))).toBe(
      true,
    );
    expect(wanted.filter((l) => l.startsWith('shadow data stats: 200 records by marginals'))).toHaveLength(2);
    expect(wanted).toContain('privacy and utility per target:');

    // A private tmux server (its own socket), stopped at the end; the script keeps the pane open after the run.
    const sock = `mia-test-${process.pid}`;
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      `cd '${dir}' && NO_COLOR=1 '${process.execPath}' '${bin}' run inky.mia --backend cpu --out '${join(dir, 'tty')}'; echo "EXIT:$?"; sleep 120\n`,
    );
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8', timeout: 10_000 });
    tmux('new-session', '-d', '-x', '160', '-y', '50', 'sh', script);
    try {
      let screen = '';
      for (const t0 = Date.now(); Date.now() - t0 < 180_000; await sleep(500)) {
        screen = tmux('capture-pane', '-p', '-S', '-', '-J');
        if (/EXIT:\d+/.test(screen)) break;
      }
      expect(screen).toMatch(/EXIT:0/);
      expect(screen).toContain('mia inky · cpu · '); // the Ink view's head, not the plain view's lines
      expect(screen).not.toContain('jobs on the cpu backend');
      const lines = screen.split('\n').map((l) => l.trimEnd());
      for (const l of wanted) expect(lines).toContain(l);
    } finally {
      tmux('kill-server');
    }
  });
});
