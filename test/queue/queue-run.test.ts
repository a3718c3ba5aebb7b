/**
 * The queue end to end, for real: a redis-server on loopback (with a password), `mia worker` processes,
 * `mia run --queue` as the coordinator. The same spec run locally and through the queue gives the same
 * results.json bytes (the queue's record lives in provenance.invocation, which varies by design); a
 * worker killed with SIGKILL mid-job loses nothing; two coordinators share jobs, never run one twice; a
 * coordinator killed and restarted picks up; a job that fails is retried, then fails its dependents.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, mia, root, tempDir, withoutInvocation } from '../e2e/helpers.js';
import { startRedis, type TestRedis } from './redis-server.js';

const SPEC = `experiment queued { seed 11 }
dataset digits = mnist
model small {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 3, batch: 32 }
}
target victim { model small, members digits.take(150), nonmembers digits.take(150) }
shadows refs { model small, count 2, pool digits.rest, size 150 }
attack loss = threshold { signal: loss }
attack lira = lira { shadows: refs, fixed_variance: true }
report { metrics [auc, advantage] }
`;

interface Proc {
  child: ChildProcess;
  name: string;
  text: () => string;
  exit: Promise<number>;
}

const live: ChildProcess[] = [];

function start(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  live.push(child);
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exit = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  return { child, name: `${hostname()}:${child.pid}`, text: () => text, exit };
}

const worker = (url: string, store: string, ...extra: string[]): Proc =>
  start(['worker', '--queue', url, '--store', store, '--jobs', '1', ...extra]);

/** Resolves once `p`'s output matches, or fails after `ms`. */
async function until(p: Proc, re: RegExp, ms = 240_000): Promise<RegExpMatchArray> {
  const t0 = Date.now();
  for (;;) {
    const m = p.text().match(re);
    if (m) return m;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re} in:\n${p.text()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let redis: TestRedis;
let dir: string;
let spec: string;
let local: string; // results.json of the local run, without invocation

const resultsOf = (out: string) => readFileSync(join(out, 'results.json'), 'utf8');
const ranLines = (...ps: Proc[]) =>
  ps
    .flatMap((p) => p.text().split('\n'))
    .filter((l) => l.startsWith('✓ '))
    .map((l) => l.replace(/ \([\d.]+s\)$/, ''));

beforeAll(async () => {
  dir = tempDir('mia-queue-');
  spec = join(dir, 'queued.mia');
  writeFileSync(spec, SPEC);
  const [r, ran] = await Promise.all([
    startRedis(),
    mia(['run', spec, '--out', join(dir, 'out'), '--no-cache', '--jobs', '2', '--quiet']),
  ]);
  redis = r;
  expect(ran.code).toBe(0);
  local = withoutInvocation(resultsOf(join(dir, 'out')));
}, 400_000);

afterAll(async () => {
  for (const c of live) if (c.exitCode === null) c.kill('SIGKILL');
  await redis?.stop();
});

describe('mia run --queue with mia worker processes', () => {
  it('gives the local bytes, records who ran what, never shows the password, and a rerun takes all from the store', async () => {
    const store = join(dir, 'store-a');
    const ws = [worker(redis.url(0), store), worker(redis.url(0), store)];
    const r = await mia(['run', spec, '--out', join(dir, 'out'), '--cache', store, '--queue', redis.url(0), '--json']);
    expect(r.code).toBe(0);
    const text = resultsOf(join(dir, 'out'));
    expect(withoutInvocation(text)).toBe(local);
    const queue = JSON.parse(text).provenance.invocation.queue;
    expect(queue.url).toBe(`redis://***@127.0.0.1:${redis.port}/0`);
    const names = ws.map((w) => w.name);
    expect(Object.values(queue.ranBy).every((w) => names.includes(w as string))).toBe(true);
    // a job the workers ran; one whose output a worker found already written (after a lost lock) is not counted
    expect(Object.keys(queue.ranBy).length).toBeGreaterThan(0);
    expect(Object.keys(queue.ranBy).length).toBeLessThanOrEqual(ranLines(...ws).length);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const took = events.filter((e) => e.type === 'jobWorker');
    expect(took.length).toBeGreaterThan(0);
    expect(took.every((e) => names.includes(e.worker) && e.host === hostname())).toBe(true);
    for (const s of [text, r.stdout, r.stderr, ...ws.map((w) => w.text())]) expect(s).not.toContain(redis.password);

    const plan = await mia(['plan', spec, '--store', store]);
    expect(plan.stdout).toMatch(/holds the outputs of (\d+) of these \1 jobs/);
    /** A rerun of the spec through the queue on the same store. */
    const runAgain = (output: '--quiet' | '--json') =>
      mia(['run', spec, '--out', join(dir, 'out'), '--cache', store, '--queue', redis.url(0), output]);
    const again = await runAgain('--quiet');
    expect(again.code).toBe(0);
    expect(withoutInvocation(resultsOf(join(dir, 'out')))).toBe(local);
    expect(JSON.parse(resultsOf(join(dir, 'out'))).provenance.invocation.queue.ranBy).toEqual({});

    // Store files are not fsynced: an entry torn by a power loss (here the target's weights zero-filled) is
    // caught when read and made again, though the queue calls its job completed. Its query's entry is gone,
    // so the query needs the weights.
    const planned = await mia(['plan', spec, '--format', 'json', '--cache', store]);
    const hashOf = (id: string): string =>
      (JSON.parse(planned.stdout).jobs as { id: string; hash: string }[]).find((j) => j.id === id)!.hash;
    const weights = join(store, hashOf('train/target/victim'), 'model-0', 'weights.bin');
    writeFileSync(weights, Buffer.alloc(statSync(weights).size));
    rmSync(join(store, hashOf('query/target/victim')), { recursive: true });
    const torn = await runAgain('--json');
    expect(torn.code).toBe(0);
    expect(torn.stdout).toContain('"type":"cacheCorrupt","id":"train/target/victim"');
    expect(withoutInvocation(resultsOf(join(dir, 'out')))).toBe(local);
    const rerun = JSON.parse(resultsOf(join(dir, 'out'))).provenance.invocation.queue.ranBy;
    expect(Object.keys(rerun).sort()).toEqual(['query/target/victim', 'train/target/victim']);
  }, 400_000);

  it('two coordinators on one queue and store run each job once; one killed and restarted picks up', async () => {
    const store = join(dir, 'store-b');
    const ws = [worker(redis.url(0), store), worker(redis.url(0), store)];
    const args = (out: string) => [
      'run',
      spec,
      '--out',
      join(dir, out),
      '--cache',
      store,
      '--queue',
      redis.url(0),
      '--json',
    ];
    const first = start(args('b1'));
    await until(first, /"type":"jobFinished"/);
    first.child.kill('SIGKILL');
    await first.exit;
    const [b1, b2] = await Promise.all([mia(args('b1')), mia(args('b2'))]);
    expect([b1.code, b2.code]).toEqual([0, 0]);
    expect(withoutInvocation(resultsOf(join(dir, 'b1')))).toBe(local);
    const ran = ranLines(...ws);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran.length).toBeGreaterThan(0);
  }, 400_000);

  it('a worker killed with SIGKILL mid-job: its lock expires, another worker runs the job, the bytes are the same', async () => {
    const store = join(dir, 'store-c');
    const url = redis.url(1);
    // It holds the job it takes (for a minute) before running it, so the kill lands while it holds the job.
    const doomed = start(['worker', '--queue', url, '--store', store, '--jobs', '1', '--lock-seconds', '1'], {
      MIA_QUEUE_JOB_DELAY_MS: '60000',
    });
    const run = start(['run', spec, '--out', join(dir, 'c'), '--cache', store, '--queue', url, '--json']);
    const [, id] = await until(run, /"type":"jobWorker","id":"([^"]+)"/);
    doomed.child.kill('SIGKILL');
    await doomed.exit;
    const rescuer = worker(url, store, '--lock-seconds', '1');
    expect(await run.exit).toBe(0);
    expect(withoutInvocation(resultsOf(join(dir, 'c')))).toBe(local);
    expect(JSON.parse(resultsOf(join(dir, 'c'))).provenance.invocation.queue.ranBy[id!]).toBe(rescuer.name);
  }, 400_000);

  it('a job that fails is tried 1 + --retries times, then fails its dependents as a local run does', async () => {
    const store = join(dir, 'store-d');
    const url = redis.url(2);
    const tries = join(dir, 'tries.txt');
    const plugin = join(dir, 'boom.mjs');
    writeFileSync(
      plugin,
      `import { appendFileSync } from 'node:fs';
import { registerAttack } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};
registerAttack({ kind: 'boom', summary: 'Always fails.', version: 1, settings: {}, needsProbabilities: true,
  score: () => { appendFileSync(${JSON.stringify(tries)}, 'x\\n'); throw new Error('boom: this attack always fails'); } });
`,
    );
    writeFileSync(join(dir, 'boom.mia'), SPEC.replace('report {', 'attack bad = boom {}\nreport {'));
    worker(url, store, '--plugin', plugin);
    const r = await mia([
      'run',
      join(dir, 'boom.mia'),
      '--plugin',
      plugin,
      '--out',
      join(dir, 'd'),
      '--cache',
      store,
      '--queue',
      url,
      '--retries',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('attack/bad: boom: this attack always fails');
    expect(r.stderr).toMatch(/evaluate\/bad: not run \(needs attack\/bad\)/);
    expect(readFileSync(tries, 'utf8')).toBe('x\nx\n');
  }, 400_000);

  it('refuses a wrong password, an unreachable queue and --no-cache in one line each, the password masked', async () => {
    const wrong = `redis://:not-the-pw@127.0.0.1:${redis.port}`;
    const r = await mia(['run', spec, '--out', join(dir, 'e'), '--queue', wrong]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`Cannot use the queue at redis://***@127.0.0.1:${redis.port}: it refused the password`);
    expect(r.stderr).not.toContain('not-the-pw');
    const w = await mia(['worker', '--queue', 'redis://127.0.0.1:1', '--store', join(dir, 'store-e')]);
    expect(w.code).toBe(1);
    expect(w.stderr).toContain('Cannot use the queue at redis://127.0.0.1:1: nothing listens there');
    const n = await mia(['run', spec, '--no-cache', '--queue', redis.url()]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('--no-cache cannot be used with --queue');
  }, 200_000);
});
