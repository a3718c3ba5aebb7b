/**
 * Where results go and what they record: a folder beside the spec named after its file, a refusal to
 * overwrite another spec's results, results.json's provenance, `mia compare` saying what changed, and
 * no temp file left by a write stopped with Ctrl-C (a real child process, a real SIGINT).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

const SPEC = `experiment mini { seed 5 }
dataset buys = synthetic_purchase { records: 400, features: 10, classes: 3 }
model m {
  layers [dense(4, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 1, batch: 50 }
}
target victim { model m, members buys.take(100), nonmembers buys.take(100) }
attack loss = threshold { signal: loss }
`;

interface Prov {
  spec: { path: string; sha256: string; files: { path: string; sha256: string; text: string }[] };
  settings: Record<string, Record<string, unknown>[]>;
  invocation: { argv: string[]; git: { revision: string; dirty: boolean | null } | null };
}
const read = (dir: string): { experiment: string; provenance: Prov } =>
  JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const tmps = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.tmp')) : []);

describe('results beside the spec, with their provenance', () => {
  it('go to results/<spec name>/ beside the spec; another spec is refused there unless --force', async () => {
    const root = tempDir('mia-place-');
    mkdirSync(join(root, 'specs'));
    const a = join(root, 'specs', 'a.mia');
    writeFileSync(a, SPEC);
    writeFileSync(join(root, 'specs', 'b.mia'), SPEC.replace('epochs: 1', 'epochs: 2'));
    const r = await mia(['run', 'specs/a.mia', '--backend', 'cpu', '--quiet'], { cwd: root });
    expect(r.code).toBe(0);
    const dir = join(root, 'specs', 'results', 'a');
    const p = read(dir).provenance;
    expect(p.spec.path).toBe('../../a.mia'); // relative to the results folder: the same on every machine
    expect(p.spec.sha256).toBe(sha(SPEC));
    expect(p.spec.files).toEqual([{ path: 'a.mia', sha256: sha(SPEC), text: SPEC }]);
    expect(p.settings.models![0]).toMatchObject({ name: 'm', train: { epochs: 1, batch: 50, l2: 0 } });
    expect(p.settings.attacks![0]).toMatchObject({ name: 'loss', settings: { signal: 'loss', calibration: 'global' } });
    expect(p.settings.targets![0]).not.toHaveProperty('range');
    expect(p.invocation.argv).toEqual(['run', 'specs/a.mia', '--backend', 'cpu', '--quiet']);
    expect(p.invocation.git).toBeNull(); // a temp folder is no repository
    expect(JSON.stringify(p)).not.toContain(root); // no absolute path of this machine

    const before = readFileSync(join(dir, 'results.json'), 'utf8');
    const refused = await mia(['run', 'specs/b.mia', '--out', dir, '--backend', 'cpu'], { cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/holds the results of another spec, specs\/a\.mia; give --out DIR .* or --force/);
    expect(refused.stdout).toBe('');
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(before);

    const again = await mia(['run', 'specs/a.mia', '--backend', 'cpu', '--quiet'], { cwd: root });
    expect(again.code).toBe(0); // its own results: rewritten, the same bytes
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(before);

    const forced = await mia(['run', 'specs/b.mia', '--out', dir, '--backend', 'cpu', '--force', '--quiet'], {
      cwd: root,
    });
    expect(forced.code).toBe(0);
    expect(read(dir).provenance.spec.path).toBe('../../b.mia');

    const fresh = join(root, 'fresh');
    expect((await mia(['run', 'specs/a.mia', '--out', fresh, '--backend', 'cpu', '--quiet'], { cwd: root })).code).toBe(
      0,
    );
    const c = await mia(['compare', fresh, dir], { cwd: root });
    expect(c.stdout).toContain('what changed:');
    expect(c.stdout).toContain('spec: a.mia → b.mia, 1 line added, 1 removed');
    expect(c.stdout).toContain('setting models.m.train.epochs: 1 → 2');
    expect(c.stdout.indexOf('what changed:')).toBeLessThan(c.stdout.search(/attack +metric/));
  });

  it('records the git revision of the spec’s repository and whether the spec differs from it', async () => {
    const repo = tempDir('mia-git-');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    writeFileSync(join(repo, 'x.mia'), SPEC);
    git('add', 'x.mia');
    git('commit', '-qm', 'spec');
    const head = git('rev-parse', 'HEAD').trim();
    expect((await mia(['run', 'x.mia', '--backend', 'cpu', '--quiet'], { cwd: repo })).code).toBe(0);
    expect(read(join(repo, 'results', 'x')).provenance.invocation.git).toEqual({ revision: head, dirty: false });
    writeFileSync(join(repo, 'x.mia'), `${SPEC}// edited\n`);
    expect((await mia(['run', 'x.mia', '--backend', 'cpu', '--quiet'], { cwd: repo })).code).toBe(0);
    expect(read(join(repo, 'results', 'x')).provenance.invocation.git).toEqual({ revision: head, dirty: true });
  });
});

describe('no temp file left by an interrupted write', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s during the write of results.json removes its temp file; the next run sweeps those of dead writers',
    async (sig, exit) => {
      const root = tempDir('mia-int-');
      writeFileSync(join(root, 'w.mia'), SPEC);
      const out = join(root, 'out');
      // MIA_WRITE_DELAY_MS holds each chunk of the write for a while, so that the signal lands in the middle of it.
      const child = spawn(process.execPath, [bin, 'run', 'w.mia', '--backend', 'cpu', '--quiet', '--out', out], {
        cwd: root,
        stdio: 'ignore',
        env: { ...process.env, MIA_WRITE_DELAY_MS: '4000' },
      });
      const seen = await new Promise<string[]>((resolve, reject) => {
        const t0 = Date.now();
        const poll = setInterval(() => {
          const found = tmps(out);
          if (found.length) {
            clearInterval(poll);
            child.kill(sig);
            resolve(found);
          } else if (child.exitCode !== null || Date.now() - t0 > 120_000) {
            clearInterval(poll);
            reject(new Error('the run ended before its write could be interrupted'));
          }
        }, 10);
      });
      expect(seen[0]).toMatch(new RegExp(`^\\.results\\.json\\.${child.pid}\\.[0-9a-f]+\\.tmp$`));
      const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
        child.once('exit', (c, s) => r([c, s])),
      );
      expect(code === exit || signal === sig).toBe(true);
      expect(tmps(out)).toEqual([]);
      expect(existsSync(join(out, 'results.json'))).toBe(false);

      // A writer killed outright leaves its temp file: the next run removes those of processes that are gone.
      const dead = spawn(process.execPath, ['-e', '0']);
      await new Promise((r) => dead.once('exit', r));
      const stale = `.results.json.${dead.pid}.0badc0de.tmp`;
      const live = `.results.json.${process.pid}.0badc0de.tmp`; // this test's own process: still running
      writeFileSync(join(out, stale), 'x'.repeat(1000));
      writeFileSync(join(out, live), 'x');
      expect((await mia(['run', 'w.mia', '--backend', 'cpu', '--quiet', '--out', out], { cwd: root })).code).toBe(0);
      expect(tmps(out)).toEqual([live]);
      expect(existsSync(join(out, 'results.json'))).toBe(true);
    },
  );
});
