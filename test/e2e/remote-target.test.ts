/**
 * A remote target end to end: a real HTTP server (TensorFlow Serving's row format) in this process
 * serves a model mia trained, and `mia run` attacks it over the network. Served with probabilities, the
 * attack sees what it would see of the local model; labels and top-k answers, a query budget checked
 * before any query, and an API that fails, each as a user would meet them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImportedModel } from '../../src/ml/imported.js';
import { clinicCsv } from './data-helpers.js';
import { mia, tempDir } from './helpers.js';

interface Res {
  runs: {
    target: { trainAccuracy: number; testAccuracy: number; queries?: number };
    attacks: { name: string; auc: number; samples: { score: number[] } }[];
  }[];
}

const DATA = 'dataset d = csv("clinic.csv") { label: "Outcome", missing: "NA" }';
const HEAD = `experiment remote { seed 3 }
${DATA}
model small {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 3, batch: 32 }
}`;
const ATTACKS = `attack loss = threshold { signal: loss }
attack gap = label_only { method: gap }
attack noisy = label_only { method: noise, augmentations: [noise(0.3, 5)] }`;

const BOUNDARY = 'attack boundary = boundary_distance { radius: 3, directions: 2, steps: 3 }';
const local = `${HEAD}
target t { model small, members d.take(60), nonmembers d.take(60) }
${ATTACKS}
${BOUNDARY}`;

const remote = (url: string, output: string, budget = 1000, attacks = ATTACKS) => `${HEAD}
target t = remote {
  url: "${url}"
  output: ${output}
  budget: ${budget}
  members: d.take(60)
  nonmembers: d.take(60)
}
${attacks}`;

/** What the test server does with each request; it counts the instances it was sent. */
type Mode = 'probabilities' | 'labels' | 'top1' | 'fail' | 'short';

let server: Server;
let base = '';
let model: tfl.LayersModel;
let mode: Mode = 'probabilities';
let received = 0;
const dir = tempDir('mia-remote-');
let localResults: Res;

function answer(instances: number[][]): unknown[] {
  // mia's models end in logits (the softmax is folded into the loss): the API applies it, as a served model would.
  const probs = tf.tidy(() => tf.softmax(model.predict(tf.tensor2d(instances)) as tf.Tensor).arraySync() as number[][]);
  const argmax = (p: number[]) => p.indexOf(Math.max(...p));
  if (mode === 'labels') return probs.map(argmax);
  if (mode === 'top1') return probs.map((p) => ({ classes: [argmax(p)], scores: [Math.max(...p)] }));
  if (mode === 'short') return probs.slice(1);
  return probs;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  writeFileSync(join(dir, 'clinic.csv'), clinicCsv(300));
  writeFileSync(join(dir, 'local.mia'), local);
  const cache = join(dir, 'cache');
  const r = await mia(['run', join(dir, 'local.mia'), '--out', join(dir, 'local'), '--cache', cache, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  localResults = JSON.parse(readFileSync(join(dir, 'local', 'results.json'), 'utf8')) as Res;
  const plan = JSON.parse(
    (await mia(['plan', join(dir, 'local.mia'), '--format', 'json', '--cache', cache])).stdout,
  ) as {
    jobs: { id: string; hash: string }[];
  };
  const hash = plan.jobs.find((j) => j.id === 'train/target/t')!.hash;
  const modelDir = readdirSync(join(cache, hash)).find((n) => n.startsWith('model-'))!;
  model = await loadImportedModel(join(cache, hash, modelDir, 'model.json'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const { instances } = JSON.parse(body) as { instances: number[][] };
      received += instances.length;
      if (mode === 'fail') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"error": "instances must be images"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ predictions: answer(instances) }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models/clinic:predict`;
}, 240_000);

afterAll(() => {
  server?.close();
  model?.dispose();
});

async function runRemote(name: string, text: string) {
  writeFileSync(join(dir, `${name}.mia`), text);
  received = 0;
  const r = await mia(['run', join(dir, `${name}.mia`), '--out', join(dir, name), '--no-cache', '--quiet']);
  const file = join(dir, name, 'results.json');
  return { r, res: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Res) : null };
}

describe('a remote target', () => {
  it('served with probabilities, is attacked as the local model it serves: same accuracy and scores', async () => {
    mode = 'probabilities';
    const { r, res } = await runRemote('probs', remote(base, 'probabilities'));
    expect(r.code, r.stderr).toBe(0);
    // the 60 members and 60 non-members, once each, then for the noise attack each of them and 5 noisy copies
    expect(received).toBe(120 + 120 * 6);
    const [a, b] = [localResults.runs[0]!, res!.runs[0]!];
    expect(b.target.queries).toBe(840);
    const noisy = (x: Res['runs'][number]) => x.attacks.find((y) => y.name === 'noisy')!.samples.score;
    expect(noisy(b)).toEqual(noisy(a)); // the same noisy copies (same seeds), labelled alike
    expect(b.target.trainAccuracy).toBe(a.target.trainAccuracy);
    expect(b.target.testAccuracy).toBe(a.target.testAccuracy);
    const [la, lb] = [a.attacks.find((x) => x.name === 'loss')!, b.attacks.find((x) => x.name === 'loss')!];
    lb.samples.score.forEach((s, i) => {
      expect(s).toBeCloseTo(la.samples.score[i]!, 4);
    });
  }, 120_000);

  it('served with labels, runs the label-only attack as on the local model; probability attacks are refused', async () => {
    mode = 'labels';
    const gapOnly = 'attack gap = label_only { method: gap }';
    const { r, res } = await runRemote('labels', remote(base, 'labels', 1000, gapOnly));
    expect(r.code, r.stderr).toBe(0);
    const gap = res!.runs[0]!.attacks.find((x) => x.name === 'gap')!;
    expect(gap.samples.score).toEqual(localResults.runs[0]!.attacks.find((x) => x.name === 'gap')!.samples.score);
    writeFileSync(join(dir, 'labels-loss.mia'), remote(base, 'labels'));
    const [refused, plan] = await Promise.all([
      mia(['plan', join(dir, 'labels-loss.mia')]),
      mia(['plan', join(dir, 'labels.mia')]),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('releases labels only');
    expect(plan.stdout).toContain('remote target t: 120 queries to its API');
  }, 120_000);

  it('boundary distance asks label queries only, within the budget, as against the local model', async () => {
    mode = 'labels';
    const { r, res } = await runRemote('boundary', remote(base, 'labels', 960, BOUNDARY));
    expect(r.code, r.stderr).toBe(0);
    expect(received).toBe(120 + 120 * (1 + 2 * 3)); // the records, then each with its 6 probes
    const score = (x: Res) => x.runs[0]!.attacks.find((y) => y.name === 'boundary')!.samples.score;
    expect(score(res!)).toEqual(score(localResults));
    expect(new Set(score(res!)).size).toBeGreaterThan(2); // distances, not only correct/incorrect
    const over = await runRemote('boundary-over', remote(base, 'labels', 959, BOUNDARY));
    expect(over.r.code).toBe(1);
    expect(received).toBe(0);
    expect(over.r.stderr).toContain('would be sent 960 queries, over its budget of 959');
  }, 120_000);

  it('label_only { method: boundary } is the boundary distance: the same queries, budget and scores', async () => {
    mode = 'labels';
    const alias = 'attack boundary = label_only { method: boundary, radius: 3, directions: 2, steps: 3 }';
    const { r, res } = await runRemote('alias', remote(base, 'labels', 960, alias));
    expect(r.code, r.stderr).toBe(0);
    expect(received).toBe(960);
    expect(res!.runs[0]!.target.queries).toBe(960);
    const score = (x: Res) => x.runs[0]!.attacks.find((y) => y.name === 'boundary')!.samples.score;
    expect(score(res!)).toEqual(score(localResults));
    const over = await runRemote('alias-over', remote(base, 'labels', 959, alias));
    expect(over.r.code).toBe(1);
    expect(received).toBe(0);
    expect(over.r.stderr).toContain('would be sent 960 queries, over its budget of 959');
  }, 120_000);

  it('served as top_k(1) {classes, scores}, gives the same labels as the local model', async () => {
    mode = 'top1';
    const { r, res } = await runRemote(
      'top1',
      remote(base, 'top_k(1)', 1000, 'attack gap = label_only { method: gap }'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(res!.runs[0]!.target.trainAccuracy).toBe(localResults.runs[0]!.target.trainAccuracy);
  }, 120_000);

  it('refuses, before any query, a plan that needs more queries than the budget, with the numbers', async () => {
    mode = 'probabilities';
    const { r, res } = await runRemote('budget', remote(base, 'probabilities', 500));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('would be sent 840 queries, over its budget of 500');
    expect(r.stderr).toMatch(/budget\.mia:\d+:\d+/);
    expect(received).toBe(0);
    expect(res).toBeNull();
  }, 60_000);

  it('an API that refuses the request or answers the wrong number of predictions fails the run, naming the url', async () => {
    mode = 'fail';
    const failed = await runRemote('fail', remote(base, 'probabilities'));
    expect(failed.r.code).toBe(1);
    expect(failed.r.stderr).toContain(`The API at ${base} answered HTTP 400`);
    expect(failed.r.stderr).toContain('instances must be images');
    expect(failed.r.stderr).not.toMatch(/\n\s+at /);
    expect(failed.res).toBeNull();
    mode = 'short';
    const short = await runRemote('short', remote(base, 'probabilities'));
    expect(short.r.code).toBe(1);
    expect(short.r.stderr).toMatch(/gave 99 predictions for 100 instances/);
  }, 120_000);

  it('an API nobody answers at fails with a clear message, and a url that is not http(s) is refused at plan time', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    writeFileSync(join(dir, 'ftp.mia'), remote('ftp://example.org/predict', 'probabilities'));
    writeFileSync(join(dir, 'topk.mia'), remote(base, 'top_k'));
    // at once: the down run mostly waits between its attempts; the plan and the check ask no API
    const [down, ftp, topk] = await Promise.all([
      runRemote('down', remote(`http://127.0.0.1:${port}/predict`, 'probabilities')),
      mia(['plan', join(dir, 'ftp.mia')]),
      mia(['check', join(dir, 'topk.mia')]),
    ]);
    expect(down.r.code).toBe(1);
    expect(down.r.stderr).toContain('could not be queried (ECONNREFUSED) after 3 attempts');
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toContain('needs an http or https url, not ftp:');
    expect(topk.code).toBe(1);
    expect(topk.stderr + topk.stdout).toContain('needs how many classes the API returns: write top_k(3)');
  }, 120_000);
});
