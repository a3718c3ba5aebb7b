/**
 * `mia serve` end to end: a target mia trained, served from its spec on loopback, attacked by an experiment
 * that names it as a remote target, gives the local attack's numbers exactly: served as logits without a
 * defense, and with top_k(2) on the server against the same defense on the local target. The server refuses
 * malformed requests with a 4xx and a message, and a bad --defense with the checker's own diagnostic.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

interface Attack {
  name: string;
  metrics: Record<string, unknown>;
  samples: { score: number[] };
}
interface Res {
  runs: { target: { name: string; trainAccuracy: number; testAccuracy: number }; attacks: Attack[] }[];
}

const dir = tempDir('mia-serve-');
const cache = join(dir, 'cache');
const HEAD = `experiment served { seed 5 }
dataset d = synthetic_purchase { records: 600, features: 20, classes: 4 }
model small {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 4, batch: 32 }
}
shadows refs { model small, count 2, pool d.rest, size 100 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs }`;

const local = `${HEAD}
target t { model small, members d.take(100), nonmembers d.take(100) }
target tk { model small, members d.take(100), nonmembers d.take(100), defenses [top_k(2)] }`;

const remote = (url: string, output: string) => `${HEAD}
target t = remote { url: "${url}", output: ${output}, budget: 1000, concurrency: 3, members: d.take(100), nonmembers: d.take(100) }`;

const servers: ChildProcess[] = [];

/** `mia serve ARGS --port 0 --json` in a child process; resolves with its url once it listens. */
function serve(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000); // bounded whatever the test does
  child.on('exit', () => clearTimeout(timer));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`mia serve exited with ${code}: ${err}`)));
  });
}

let localRes: Res;
let plainUrl = '';
let topkUrl = '';

beforeAll(async () => {
  writeFileSync(join(dir, 'local.mia'), local);
  const r = await mia(['run', join(dir, 'local.mia'), '--out', join(dir, 'local'), '--cache', cache, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  localRes = JSON.parse(readFileSync(join(dir, 'local', 'results.json'), 'utf8')) as Res;
  const spec = join(dir, 'local.mia');
  [plainUrl, topkUrl] = await Promise.all([
    serve([spec, '--target', 't', '--cache', cache, '--output', 'logits']),
    serve([join(dir, 'local'), '--target', 'tk', '--cache', cache, '--defense', 'top_k(2)']),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((ok) => {
          if (s.exitCode !== null) return ok();
          s.on('exit', () => ok());
          s.kill('SIGINT');
        }),
    ),
  );
});

async function runRemote(name: string, text: string): Promise<Res> {
  writeFileSync(join(dir, `${name}.mia`), text);
  const r = await mia(['run', join(dir, `${name}.mia`), '--out', join(dir, name), '--cache', cache, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(readFileSync(join(dir, name, 'results.json'), 'utf8')) as Res;
}

const attacksOf = (res: Res, target: string): Attack[] => res.runs.find((r) => r.target.name === target)!.attacks;

describe('mia serve and a remote target', () => {
  it('served as logits, the attacks give the local numbers exactly', async () => {
    const res = await runRemote('plain', remote(`${plainUrl}`, 'logits'));
    expect(attacksOf(res, 't')).toEqual(attacksOf(localRes, 't'));
    expect(res.runs[0]!.target.testAccuracy).toBe(localRes.runs[0]!.target.testAccuracy);
  }, 240_000);

  it('with top_k(2) on the server, the attacks give those of top_k(2) on the local target exactly', async () => {
    const res = await runRemote('topk', remote(`${topkUrl}`, 'top_k(2)'));
    expect(attacksOf(res, 't')).toEqual(attacksOf(localRes, 'tk'));
    // the defense changes what the attacks see: the numbers differ from the undefended target's
    expect(attacksOf(res, 't')).not.toEqual(attacksOf(localRes, 't'));
  }, 240_000);

  it('refuses malformed requests with a 4xx and a message, and answers /health', async () => {
    const base = plainUrl.replace(/\/predict$/, '');
    const post = (body: string, type = 'application/json') =>
      fetch(plainUrl, { method: 'POST', headers: { 'content-type': type }, body });
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string; classes: number };
    expect(health).toMatchObject({ status: 'ok', classes: 4, output: 'logits' });
    const cases: [Response, number, string][] = [
      [await post('{"instances": '), 400, 'JSON'],
      [await post('{"instances": []}'), 400, 'empty'],
      [await post('{"instances": [[1, 2]]}'), 400, 'not a record of shape [20]'],
      [await post(`{"instances": [[${Array(20).fill('"x"').join(',')}]]}`), 400, 'finite number'],
      [await post('[1]'), 400, '{"instances"'],
      [await post('{"instances": [[1]]}', 'text/plain'), 415, 'application/json'],
      [await post(`{"instances": [${Array(1001).fill('0').join(',')}]}`), 413, 'at most 1000'],
      [await fetch(`${base}/nowhere`), 404, 'POST /predict'],
    ];
    for (const [res, status, text] of cases) {
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toContain(text);
    }
    const ok = await post(JSON.stringify({ instances: [Array(20).fill(0)] }));
    expect(((await ok.json()) as { predictions: number[][] }).predictions[0]).toHaveLength(4);
  });

  it('refuses a bad --defense with the checker’s diagnostic in one line, exit 2', async () => {
    const big = await mia([
      'serve',
      join(dir, 'local.mia'),
      '--target',
      't',
      '--cache',
      cache,
      '--defense',
      'top_k(9)',
    ]);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain(
      '--defense "top_k(9)": error[E164]: top_k(9) releases more classes than the data has (4)',
    );
    expect(big.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
