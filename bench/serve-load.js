#!/usr/bin/env node
// A bounded load test of `mia serve` on loopback (part of npm run bench; runs the compiled code): an MLP
// 784-128-10 written as a tfjs model file, served with top_k(3) and no rate limit, then CLIENTS clients each
// send REQUESTS requests of BATCH instances. Prints requests and instances per second, and fails unless every
// request got 200 with one prediction per instance (no well-formed request dropped).
// usage: node bench/serve-load.js [ROOT] [--clients N] [--requests N] [--batch N] [--backend B]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const root = resolve(args[0] && !args[0].startsWith('--') ? args[0] : join(import.meta.dirname, '..'));
const clients = Number(opt('--clients', '4'));
const requests = Number(opt('--requests', '50'));
const batch = Number(opt('--batch', '100'));
const backend = opt('--backend', 'wasm');

/** model.json + weights.bin of a 784-128-10 MLP (random weights, seeded), in `dir`. */
async function writeModel(dir) {
  await tf.setBackend('cpu');
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [784],
        units: 128,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
      tfl.layers.dense({
        units: 10,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData));
      const json = {
        format: 'layers-model',
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
}

/** Starts mia serve; resolves with its /predict url and the child. */
function serve(file) {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'mia.js'),
      'serve',
      file,
      '--port',
      '0',
      '--rate',
      '0',
      '--defense',
      'top_k(3)',
      '--backend',
      backend,
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), 600_000); // bounded whatever happens
  child.on('exit', () => clearTimeout(timer));
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"url":"([^"]+)"/.exec(out);
      if (m) ok({ url: m[1], child });
    });
    child.on('exit', (code) => fail(new Error(`mia serve exited with ${code}`)));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mia-serve-load-'));
await writeModel(dir);
const { url, child } = await serve(join(dir, 'model.json'));
const body = JSON.stringify({
  instances: Array.from({ length: batch }, (_, i) => Array.from({ length: 784 }, (_, j) => ((i * 31 + j) % 97) / 97)),
});
const counts = new Map();
let good = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    for (let r = 0; r < requests; r++) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
      const json = await res.json();
      if (res.status === 200 && json.predictions?.length === batch) good++;
    }
  }),
);
const s = (performance.now() - t0) / 1000;
child.kill('SIGINT');
await new Promise((ok) => child.on('exit', ok));
rmSync(dir, { recursive: true, force: true });
const total = clients * requests;
console.log(
  `mia serve load (${backend}, MLP 784-128-10, top_k(3)): ${clients} clients × ${requests} requests × ${batch} instances in ${s.toFixed(2)} s: ` +
    `${(total / s).toFixed(1)} requests/s, ${((total * batch) / s).toFixed(0)} instances/s; ` +
    `statuses ${[...counts].map(([k, v]) => `${k}×${v}`).join(', ')}; ${good === total ? 'no request dropped' : `${total - good} of ${total} requests DROPPED`}`,
);
if (good !== total) process.exitCode = 1;
