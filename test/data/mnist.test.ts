import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadMnist, mnistFacts } from '../../src/data/index.js';
import { tempDir } from '../e2e/helpers.js';

/** loadMnist of a fresh module: a process that has not loaded the digits yet. */
const freshLoad = async () => {
  vi.resetModules();
  return (await import('../../src/data/mnist.js')).loadMnist;
};

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The stored parses under `dir` once one is there (it is written in the background). */
async function storedParses(dir: string): Promise<string[]> {
  const bins = () => readdirSync(join(dir, 'datasets')).filter((f) => f.endsWith('.bin'));
  for (let i = 0; i < 400 && !(existsSync(join(dir, 'datasets')) && bins().length > 0); i++)
    await new Promise((r) => setTimeout(r, 25));
  return bins();
}

describe('built-in MNIST', () => {
  it('facts (counted without parsing the pixels, before any full load) agree with the full load', () => {
    const f = mnistFacts();
    const d = loadMnist();
    expect(f.n).toBe(d.n);
    expect(f.classes).toBe(10);
    expect(f.shape).toEqual(d.shape);
    expect(Array.from(f.labels)).toEqual(Array.from(d.y));
  });

  it('has 10,000 digits in [0, 1], 863 to 1,127 per class', () => {
    const d = loadMnist();
    expect(d.n).toBe(10_000);
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.x.length).toBe(10_000 * 784);
    let lo = Infinity,
      hi = -Infinity;
    for (const v of d.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    const counts = Array.from({ length: 10 }, (_, c) => d.y.filter((y) => y === c).length);
    expect(Math.min(...counts)).toBe(863);
    expect(Math.max(...counts)).toBe(1127);
  });

  it('with a cache folder the parse is stored once, and a later process reads it: the same bytes', async () => {
    const dir = tempDir();
    const first = (await freshLoad())(dir);
    const stored = await storedParses(dir);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^[0-9a-f]{64}\.bin$/);
    const again = (await freshLoad())(dir);
    expect(bytes(again.x).equals(bytes(first.x))).toBe(true);
    expect(Array.from(again.y)).toEqual(Array.from(first.y));
    expect(bytes(first.x).equals(bytes(loadMnist().x))).toBe(true);
    // what the later process read is the stored parse: a pixel changed there, with the checksum of the arrays
    // made to match, shows; changed without it, the file is not read as data and the digits are parsed again
    const file = join(dir, 'datasets', stored[0]!);
    const b = readFileSync(file);
    const at = b.length - 4 * (first.x.length + first.y.length);
    const oldSum = createHash('sha256').update(b.subarray(at)).digest('hex');
    b.writeFloatLE(0.5, at);
    writeFileSync(file, b);
    expect((await freshLoad())(dir).x[0]).toBe(first.x[0]);
    // that load wrote the parse again, whole (in the background): wait for it before changing the file again
    const tail = () => createHash('sha256').update(readFileSync(file).subarray(at)).digest('hex');
    for (let i = 0; i < 400 && tail() !== oldSum; i++) await new Promise((r) => setTimeout(r, 25));
    expect(tail()).toBe(oldSum);
    const newSum = createHash('sha256').update(b.subarray(at)).digest('hex');
    const head = b.subarray(0, at).toString('latin1');
    expect(head).toContain(oldSum);
    b.write(head.replace(oldSum, newSum), 0, 'latin1');
    writeFileSync(file, b);
    expect((await freshLoad())(dir).x[0]).toBe(0.5);
  });
});
