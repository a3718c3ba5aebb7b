/**
 * Every file-based data source end to end, from a .mia file and files in the real formats the test
 * writes: a CSV none of us has tried (a made-up clinic table with text columns and NA markers), IDX,
 * NPY, CIFAR-10 binary batches with a tiny CNN, and an imported target (a model mia itself trained).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clinicCsv, npyFile, rng } from './data-helpers.js';
import { mia, miaAsync, tempDir } from './helpers.js';

interface Res {
  runs: { target: { trainAccuracy: number }; attacks: { name: string; samples: { score: number[] } }[] }[];
}

const MODEL = `model small {
  layers [dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 3, batch: 32 }
}`;

const spec = (dataset: string, model = MODEL, take = 60) => `experiment files { seed 3 }
${dataset}
${model}
target t { model small, members d.take(${take}), nonmembers d.take(${take}) }
shadows s { model small, count 1, pool d.rest, size ${Math.floor(take / 2)} }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: s }
`;

async function runSpec(dir: string, text: string): Promise<{ res: Res; stderr: string }> {
  writeFileSync(join(dir, 'e.mia'), text);
  const r = await miaAsync(['run', join(dir, 'e.mia'), '--out', join(dir, 'out'), '--quiet']);
  expect(r.stderr).not.toContain('failed');
  expect(r.code, r.stderr).toBe(0);
  return { res: JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')) as Res, stderr: r.stderr };
}

const idxFile = (dims: number[], data: Uint8Array): Buffer => {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(0x00000800 | dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
};

/** Images of two classes told apart by brightness. */
function images(n: number, size: number, channels: number): { x: Uint8Array; y: Uint8Array } {
  const r = rng(5);
  const x = new Uint8Array(n * size * channels);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < size * channels; j++) x[i * size * channels + j] = Math.floor(r() * 128) + 100 * y[i]!;
  }
  return { x, y };
}

describe('data files attacked with only a .mia file', () => {
  it('a CSV with text columns and NA markers: encoded, rows dropped and counted, attacked', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'clinic.csv'), clinicCsv(300));
    const { res, stderr } = await runSpec(
      dir,
      spec('dataset d = csv("clinic.csv") { label: "Outcome", missing: "NA" }'),
    );
    expect(stderr).toMatch(/Dropped \d+ of 300 rows with a missing value \("NA"; Ward \d+, Blood Pressure \d+\)/);
    expect(res.runs[0]!.attacks.map((a) => a.name)).toEqual(['loss', 'shokri']);
    expect(res.runs[0]!.attacks[0]!.samples.score).toHaveLength(120);
    expect(res.runs[0]!.target.trainAccuracy).toBeGreaterThan(0.6);
    // on_missing: impute keeps every row; label by index without a header works too
    const lines = clinicCsv(300).split('\n').slice(1).join('\n');
    writeFileSync(join(dir, 'nohead.csv'), lines);
    writeFileSync(
      join(dir, 'p.mia'),
      spec(
        'dataset d = csv("nohead.csv") { label_column: 2, header: false, missing: "NA", on_missing: impute }',
        MODEL,
        100,
      ),
    );
    const p = await mia(['plan', join(dir, 'p.mia')]);
    expect(p.stderr).not.toMatch(/error\[|^mia: /m);
    expect(p.code).toBe(0);
  }, 120_000);

  it('IDX (gzipped) and NPY files', async () => {
    const dir = tempDir();
    const { gzipSync } = await import('node:zlib');
    const im = images(200, 36, 1);
    writeFileSync(join(dir, 'img.idx3-ubyte.gz'), gzipSync(idxFile([200, 6, 6], im.x)));
    writeFileSync(join(dir, 'lab.idx1-ubyte'), idxFile([200], im.y));
    const flat = `model small {
  layers [flatten, dense(8, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 32 }
}`;
    const a = await runSpec(dir, spec('dataset d = idx("img.idx3-ubyte.gz", "lab.idx1-ubyte")', flat));
    expect(a.res.runs[0]!.attacks[0]!.samples.score).toHaveLength(120);
    const x = Float32Array.from(im.x, (v) => v / 255);
    writeFileSync(join(dir, 'x.npy'), npyFile('<f4', [200, 36], x));
    writeFileSync(
      join(dir, 'y.npy'),
      npyFile(
        '<i8',
        [200],
        BigInt64Array.from(im.y, (v) => BigInt(v)),
      ),
    );
    const b = await runSpec(dir, spec('dataset d = npy("x.npy", "y.npy")'));
    expect(b.res.runs[0]!.target.trainAccuracy).toBeGreaterThan(0.6);
  }, 120_000);

  it('CIFAR-10 binary batches under data/ with a tiny CNN', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const im = images(40, 1024, 3);
    const batch = Buffer.alloc(40 * 3073);
    for (let i = 0; i < 40; i++) {
      batch[i * 3073] = im.y[i]!;
      batch.set(im.x.subarray(i * 3072, (i + 1) * 3072), i * 3073 + 1);
    }
    writeFileSync(join(dir, 'data', 'data_batch_1.bin'), batch);
    const cnn = `model small {
  layers [conv2d(4, 3, activation: relu), max_pool(4), flatten, dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 1, batch: 10 }
}`;
    const { res } = await runSpec(dir, spec('dataset d = cifar10("data")', cnn, 10));
    expect(res.runs[0]!.attacks[0]!.samples.score).toHaveLength(20);
  }, 120_000);

  it('a model mia trained, imported as a target in another spec, is attacked', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'clinic.csv'), clinicCsv(300));
    const data = 'dataset d = csv("clinic.csv") { label: "Outcome", missing: "NA" }';
    writeFileSync(join(dir, 'a.mia'), spec(data));
    const cache = join(dir, 'cache');
    const r = await miaAsync(['run', join(dir, 'a.mia'), '--out', join(dir, 'a'), '--cache', cache, '--quiet']);
    expect(r.code).toBe(0);
    const plan = JSON.parse((await mia(['plan', join(dir, 'a.mia'), '--format', 'json', '--cache', cache])).stdout) as {
      jobs: { id: string; hash: string }[];
    };
    const hash = plan.jobs.find((j) => j.id === 'train/target/t')!.hash;
    const modelDir = readdirSync(join(cache, hash)).find((n) => n.startsWith('model-'))!;
    const model = join(cache, hash, modelDir, 'model.json');
    expect(existsSync(model)).toBe(true);
    const imported = spec(data)
      .replace('target t { model small,', `target t = imported(${JSON.stringify(model)}) {`)
      .replace(/members (d\.take\(60\)), nonmembers (d\.take\(60\))/, 'members: $1, nonmembers: $2');
    writeFileSync(join(dir, 'b.mia'), imported);
    const p = JSON.parse((await mia(['plan', join(dir, 'b.mia'), '--format', 'json'])).stdout) as {
      jobs: { id: string }[];
    };
    expect(p.jobs.map((j) => j.id)).toContain('import/target/t');
    expect(p.jobs.map((j) => j.id)).not.toContain('train/target/t');
    const b = await miaAsync(['run', join(dir, 'b.mia'), '--out', join(dir, 'b'), '--quiet']);
    expect(b.stderr).not.toContain('failed');
    expect(b.code).toBe(0);
    const ra = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')) as Res;
    const rb = JSON.parse(readFileSync(join(dir, 'b', 'results.json'), 'utf8')) as Res;
    // the same model on the same records: the same target accuracy and loss scores
    expect(rb.runs[0]!.target.trainAccuracy).toBe(ra.runs[0]!.target.trainAccuracy);
    expect(rb.runs[0]!.attacks[0]!.samples.score).toEqual(ra.runs[0]!.attacks[0]!.samples.score);
  }, 180_000);
});
