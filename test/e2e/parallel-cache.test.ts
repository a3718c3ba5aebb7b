import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, mia, root, runAsync, tempDir, withoutInvocation } from './helpers.js';

const tiny = join(root, 'test', 'fixtures', 'tiny.mia');
const JOBS = 12; // 3 trains, 3 queries, 3 attacks, 3 evaluations

interface Ev {
  type: string;
  id?: string;
  reason?: string;
}
const events = (stdout: string): Ev[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{"type"'))
    .map((l) => JSON.parse(l) as Ev);
const count = (evs: Ev[], type: string): number => evs.filter((e) => e.type === type).length;
const entries = (cache: string): string[] =>
  existsSync(cache) ? readdirSync(cache).filter((n) => /^[0-9a-f]{64}$/.test(n)) : [];

/**
 * Sends `signal` to a `mia run --json` child as soon as its stdout reports the `finished`-th jobFinished
 * event (the run is mid-way then, not at an instant guessed by polling); its exit code once it has exited.
 * Fails when the run ends before that many jobs finished.
 */
function signalAfter(child: ChildProcess, finished: number, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let sent = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (sent || !line.startsWith('{"type":"jobFinished"')) return;
      if (++seen < finished) return;
      sent = true;
      child.kill(signal);
    });
    child.once('exit', (code) =>
      sent ? resolve(code) : reject(new Error(`the run ended (exit ${code}) before ${finished} jobs finished`)),
    );
  });
}

async function run(args: string[]): Promise<{ code: number; results: string; evs: Ev[]; stderr: string }> {
  const out = tempDir();
  const r = await mia(['run', tiny, '--backend', 'wasm', '--out', out, ...args]);
  const path = join(out, 'results.json');
  return {
    code: r.code,
    results: existsSync(path) ? withoutInvocation(readFileSync(path, 'utf8')) : '',
    evs: events(r.stdout),
    stderr: r.stderr,
  };
}

// One cold run with --jobs 1 (no cache) and one with --jobs 2 filling a cache, shared by the tests below.
let one: Awaited<ReturnType<typeof run>>, two: Awaited<ReturnType<typeof run>>;
const filled = tempDir();
beforeAll(async () => {
  [one, two] = await Promise.all([
    run(['--jobs', '1', '--no-cache']),
    run(['--jobs', '2', '--cache', filled, '--json']),
  ]);
});
/** A copy of the filled cache. */
const cacheCopy = (dest = tempDir()): string => {
  cpSync(filled, dest, { recursive: true });
  return dest;
};

// Each test has its own cache (a copy, or empty) and output folder: they run at once.
describe.concurrent('mia run: workers and cache (end to end)', () => {
  it('--jobs 1 and --jobs 2 write identical bytes; a warm rerun is all cache hits with identical results', async () => {
    const cache = cacheCopy();
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.results).toBe(one.results);
    expect(count(two.evs, 'jobFinished')).toBe(JOBS);
    expect(two.evs[0]).toMatchObject({ type: 'runStarted', workers: 2 });
    expect(count(two.evs, 'progress')).toBeGreaterThanOrEqual(3 * 3); // an event per epoch of each of the 3 models
    expect(entries(filled)).toHaveLength(JOBS);
    for (const e of entries(filled)) expect(existsSync(join(filled, e, 'entry.json'))).toBe(true);
    expect(
      entries(cache).filter(
        (e) =>
          existsSync(join(cache, e, 'model-0', 'model.json')) && existsSync(join(cache, e, 'model-0', 'weights.bin')),
      ),
    ).toHaveLength(3);

    const warm = await run(['--cache', cache, '--json']);
    expect(warm.code).toBe(0);
    expect(count(warm.evs, 'cacheHit')).toBe(JOBS);
    expect(count(warm.evs, 'jobStarted')).toBe(0);
    expect(warm.results).toBe(one.results);
  });

  it('reports a corrupt cache entry, discards it and recomputes it, with identical results', async () => {
    const cache = cacheCopy();
    const plan = JSON.parse(
      (await mia(['plan', tiny, '--backend', 'wasm', '--cache', cache, '--format', 'json'])).stdout,
    ) as {
      jobs: { id: string; hash: string; cached: boolean }[];
    };
    expect(plan.jobs.every((j) => j.cached)).toBe(true);
    const q = plan.jobs.find((j) => j.id === 'query/target/victim')!;
    const data = join(cache, q.hash, 'data.bin');
    const bytes = readFileSync(data);
    bytes[100] = bytes[100]! ^ 0x5a;
    writeFileSync(data, bytes);
    const r = await run(['--cache', cache, '--json']);
    expect(r.code).toBe(0);
    expect(r.evs.filter((e) => e.type === 'cacheCorrupt').map((e) => e.id)).toEqual(['query/target/victim']);
    expect(r.evs.filter((e) => e.type === 'jobFinished').map((e) => e.id)).toEqual(['query/target/victim']);
    expect(r.results).toBe(one.results);
  });

  it('resumes a run killed with SIGKILL: only what is missing is computed, and the results are those of an uninterrupted run', async () => {
    const cache = tempDir();
    const out = tempDir();
    const child = spawn(
      process.execPath,
      [bin, 'run', tiny, '--backend', 'wasm', '--jobs', '1', '--json', '--cache', cache, '--out', out],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    await signalAfter(child, 2, 'SIGKILL'); // a job's cache entry is written before its jobFinished event
    const done = entries(cache);
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done.length).toBeLessThan(JOBS);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    for (const e of done) expect(existsSync(join(cache, e, 'entry.json'))).toBe(true);

    const r = await run(['--cache', cache, '--json']);
    expect(r.code).toBe(0);
    const hits = r.evs.filter((e) => e.type === 'cacheHit').length;
    const skipped = r.evs.filter((e) => e.type === 'jobSkipped').length;
    expect(hits + skipped).toBeGreaterThanOrEqual(done.length);
    expect(count(r.evs, 'jobFinished')).toBe(JOBS - hits - skipped);
    expect(count(r.evs, 'cacheCorrupt')).toBe(0);
    expect(r.results).toBe(one.results);
  });

  it('stops cleanly on SIGINT: exit 130, no results.json, no half-written cache entry', async () => {
    const cache = tempDir();
    const out = tempDir();
    const child = spawn(
      process.execPath,
      [bin, 'run', tiny, '--backend', 'wasm', '--jobs', '2', '--json', '--cache', cache, '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await signalAfter(child, 1, 'SIGINT');
    expect(code).toBe(130);
    expect(stderr).toContain('stopped');
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    for (const e of entries(cache)) expect(existsSync(join(cache, e, 'entry.json'))).toBe(true);
    expect(readdirSync(cache).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });
});

describe('sweeps (end to end)', () => {
  it('run as one plan whose points share jobs; results.json has one run per point with its params', async () => {
    const dir = tempDir();
    const f = join(dir, 'sweep.mia');
    writeFileSync(
      f,
      `${readFileSync(tiny, 'utf8')}\nsweep { refs.count in [1, 2]; conf.signal in [confidence, entropy] }\n`,
    );
    const p = await mia(['plan', f, '--backend', 'wasm', '--no-cache']);
    expect(p.code).toBe(0);
    expect(p.stdout).toContain('tiny: 16 jobs'); // 3 trains, 3 queries, loss, 2 conf, 2 shokri, and an evaluation of each of the 5 attacks
    expect(p.stdout).toContain('4 sweep points:');
    const out = tempDir();
    const r = await mia(['run', f, '--backend', 'wasm', '--no-cache', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sweep point: refs.count = 1, conf.signal = confidence');
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as {
      runs: { params: object; attacks: { name: string; metrics: { auc: number } }[] }[];
    };
    expect(res.runs.map((x) => x.params)).toEqual([
      { 'refs.count': 1, 'conf.signal': 'confidence' },
      { 'refs.count': 1, 'conf.signal': 'entropy' },
      { 'refs.count': 2, 'conf.signal': 'confidence' },
      { 'refs.count': 2, 'conf.signal': 'entropy' },
    ]);
    // the point equal to tiny.mia gives tiny.mia's numbers
    const plain = JSON.parse(one.results) as typeof res;
    expect(res.runs[2]!.attacks).toEqual(plain.runs[0]!.attacks);
    expect(res.runs[0]!.attacks[0]).toEqual(plain.runs[0]!.attacks[0]); // the loss attack does not depend on the sweep
  });
});

describe('mia plan, mia diff, mia cache gc (end to end)', () => {
  it('mia plan prints the jobs as text, JSON and dot', async () => {
    const [t, json, d, yaml] = await Promise.all([
      mia(['plan', tiny, '--backend', 'wasm', '--no-cache']),
      mia(['plan', tiny, '--backend', 'wasm', '--no-cache', '--format', 'json']),
      mia(['plan', tiny, '--backend', 'wasm', '--no-cache', '--format', 'dot']),
      mia(['plan', tiny, '--format', 'yaml']),
    ]);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain('tiny: 12 jobs on the wasm backend, 0 cached, 12 to run');
    expect(t.stdout).toMatch(
      /to run {2}attack\/shokri +[0-9a-f]{12} {2}← query\/target\/victim, query\/shadow\/refs\/0, query\/shadow\/refs\/1\n/,
    );
    expect(t.stdout).toMatch(/to run {2}evaluate\/shokri +[0-9a-f]{12} {2}← attack\/shokri\n/);
    const j = JSON.parse(json.stdout) as {
      jobs: { id: string; deps: string[] }[];
    };
    expect(j.jobs.filter((x) => x.id.startsWith('evaluate/')).map((x) => [x.id, x.deps])).toEqual(
      ['loss', 'conf', 'shokri'].map((n) => [`evaluate/${n}`, [`attack/${n}`]]),
    );
    expect(d.stdout).toContain('digraph "tiny"');
    expect(d.stdout).toContain('"train/target/victim" -> "query/target/victim";');
    expect(d.stdout).toContain('"attack/shokri" -> "evaluate/shokri";');
    expect(yaml.code).toBe(2);
  });

  it('mia diff names the changed setting, the jobs added, and what carries over; a side may come from git', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.mia'),
      b = join(dir, 'b.mia');
    const src = readFileSync(tiny, 'utf8');
    writeFileSync(a, src);
    writeFileSync(b, src.replace('count 2', 'count 3').replace('signal: confidence', 'signal: entropy'));
    const [r, json] = await Promise.all([
      mia(['diff', a, b, '--backend', 'wasm']),
      mia(['diff', a, b, '--backend', 'wasm', '--format', 'json']),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('changed  attack/conf\n           conf.signal confidence → entropy');
    expect(r.stdout).toContain('changed  attack/shokri\n           refs.count 2 → 3');
    expect(r.stdout).not.toMatch(/shadows\[|attack\.settings/);
    expect(r.stdout).toContain('added    train/shadow/refs/2');
    expect(r.stdout).toContain('added    query/shadow/refs/2');
    expect(r.stdout).toContain('changed  attack/shokri');
    expect(r.stdout).toContain('changed  evaluate/conf\n           its input attack/conf changed');
    expect(r.stdout).toContain('changed  evaluate/shokri\n           its input attack/shokri changed');
    expect(r.stdout).toContain('8 jobs unchanged: their results carry over');
    expect(r.stdout).toContain('new input query/shadow/refs/2');
    const j = JSON.parse(json.stdout) as {
      same: unknown[];
      added: unknown[];
      changed: unknown[];
    };
    expect([j.same.length, j.added.length, j.changed.length]).toEqual([8, 2, 4]);

    const git = (args: string[]): Promise<void> => gitIn(dir, args);
    await git(['init', '-q']);
    await git(['-c', 'user.email=t@t', '-c', 'user.name=t', 'add', 'a.mia']);
    await git(['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'a']);
    writeFileSync(a, src.replace('epochs: 3', 'epochs: 2'));
    const [g, bad] = await Promise.all([
      mia(['diff', 'HEAD:a.mia', 'a.mia', '--backend', 'wasm'], { cwd: dir }),
      mia(['diff', 'NOPE:a.mia', 'a.mia'], { cwd: dir }),
    ]);
    expect(g.code).toBe(0);
    expect(g.stdout).toContain('small.train.epochs 3 → 2');
    expect(g.stdout).toContain('0 jobs unchanged');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('git could not read NOPE:a.mia');
  });

  it('mia cache gc removes only what no experiment in the folder references', async () => {
    const dir = tempDir();
    const spec = join(dir, 'tiny.mia');
    copyFileSync(tiny, spec);
    const cache = cacheCopy(join(dir, '.mia', 'cache')); // the default place: beside the spec
    const orphan = join(cache, 'f'.repeat(64));
    mkdirSync(orphan);
    writeFileSync(join(orphan, 'entry.json'), '{}');
    const r = await mia(['cache', 'gc', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed 1 cache entry');
    expect(entries(cache)).toHaveLength(JOBS);
    writeFileSync(spec, readFileSync(tiny, 'utf8').replace('signal: confidence', 'signal: entropy'));
    expect((await mia(['cache', 'gc', dir])).stdout).toContain('removed 2 cache entries'); // attack/conf and its evaluation
    expect(entries(cache)).toHaveLength(JOBS - 2);
  });
});

async function gitIn(cwd: string, args: string[]): Promise<void> {
  const r = await runAsync('git', args, { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}
