/**
 * Several reporters at once: the live Ink view in a real terminal (tmux) while JSON lines go to a file, and
 * JSON lines on stdout and to a file from one run, the same bytes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

const SPEC = `experiment twoviews { seed 5 }
dataset buys = synthetic_purchase { records: 400, features: 10, classes: 3 }
model mlp {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 50 }
}
target victim { model mlp, members buys.take(100), nonmembers buys.take(100) }
attack loss = threshold { signal: loss }
report { metrics [auc] }
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Line = { type: string; results?: string };
const parseLines = (text: string): Line[] =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('several reporters in one run', () => {
  it('Ink in a terminal and JSON lines to a file at once: the screen is Ink, the file parses and ends with resultsWritten', async () => {
    const dir = tempDir('mia-reporters-');
    writeFileSync(join(dir, 'twoviews.mia'), SPEC);
    const events = join(dir, 'events.jsonl');
    const out = join(dir, 'out');
    const sock = `mia-reporters-${process.pid}`;
    const script = join(dir, 'run.sh');
    writeFileSync(
      script,
      `cd '${dir}' && NO_COLOR=1 '${process.execPath}' '${bin}' run twoviews.mia --backend cpu --no-cache --out '${out}' --reporter json=events.jsonl; echo "EXIT:$?"; sleep 120\n`,
    );
    const tmux = (...args: string[]) =>
      execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8', timeout: 10_000 });
    tmux('new-session', '-d', '-x', '120', '-y', '50', 'sh', script);
    let screen = '';
    try {
      for (const t0 = Date.now(); Date.now() - t0 < 180_000; await sleep(500)) {
        screen = tmux('capture-pane', '-p', '-S', '-', '-J');
        if (/EXIT:\d+/.test(screen)) break;
      }
    } finally {
      tmux('kill-server');
    }
    expect(screen).toMatch(/EXIT:0/);
    expect(screen).toContain('mia twoviews · cpu · '); // the Ink view's head
    expect(screen).not.toContain('jobs on the cpu backend'); // not the plain lines
    expect(screen).not.toContain('{"type"'); // no JSON on the terminal
    const lines = parseLines(readFileSync(events, 'utf8'));
    expect(lines[0]?.type).toBe('runStarted');
    expect(lines.some((l) => l.type === 'jobFinished')).toBe(true);
    expect(lines.at(-2)?.type).toBe('runFinished');
    expect(lines.at(-1)).toMatchObject({ type: 'resultsWritten', results: join(out, 'results.json') });
    expect(existsSync(join(out, 'results.json'))).toBe(true);
  });

  it('piped: plain lines on stderr, the table on stdout, and the same JSON lines in two files', async () => {
    const dir = tempDir('mia-reporters-');
    writeFileSync(join(dir, 'twoviews.mia'), SPEC);
    const args = ['run', 'twoviews.mia', '--backend', 'cpu', '--out', join(dir, 'out')];
    const r = await mia([...args, '--reporter', 'json=a.jsonl', '--reporter', 'json=b.jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('mia: twoviews: ');
    expect(r.stdout).toContain(`results: ${join(dir, 'out', 'results.json')}`);
    const a = readFileSync(join(dir, 'a.jsonl'), 'utf8');
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    expect(parseLines(a).at(-1)?.type).toBe('resultsWritten');
    const bad = await mia([...args, '--reporter', 'ink', '--json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'mia: --reporter ink and --json all write to the terminal; give one (json=FILE reporters go beside it).',
    ); // then the usage lines, as for every usage error
    expect(bad.stdout).toBe('');
  });
});
