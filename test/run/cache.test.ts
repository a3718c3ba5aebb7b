import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, decodeOutput, encodeOutput } from '../../src/run/index.js';
import { tempDir } from '../e2e/helpers.js';

const h = (c: string): string => c.repeat(64);

/** Plain data as jobs output it: numbers (non-finite too), strings, arrays, objects, typed arrays, buffers. */
const plain: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.double(),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.float32Array({ maxLength: 20 }),
    fc.float64Array({ maxLength: 20 }),
    fc.int32Array({ maxLength: 20 }),
    fc.uint8Array({ maxLength: 20 }),
    fc.uint8Array({ maxLength: 16 }).map((u) => u.slice().buffer),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const model = () => ({
  kind: 'train',
  finalLoss: 0.25,
  artifacts: {
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }],
    weightData: new Float32Array([1, 2]).buffer,
  },
});

describe('the cache codec', () => {
  it('round-trips plain data exactly (bytes of typed arrays, NaN and infinities included)', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const { value, files } = encodeOutput(v);
        const back = decodeOutput(JSON.parse(JSON.stringify(value)), (n) => files.get(n)!);
        expect(back).toEqual(v);
      }),
      { numRuns: 300 },
    );
    // the counterexample fast-check once found: JSON writes −0 as 0
    for (const v of [-0, [-0], { x: -0, y: NaN, z: -Infinity }]) {
      const { value, files } = encodeOutput(v);
      expect(decodeOutput(JSON.parse(JSON.stringify(value)), (n) => files.get(n)!)).toEqual(v);
    }
    expect(
      Object.is(
        decodeOutput(JSON.parse(JSON.stringify(encodeOutput(-0).value)), () => new Uint8Array()),
        -0,
      ),
    ).toBe(true);
  });

  it('writes models in the tfjs format: model.json + weights.bin', () => {
    const { files } = encodeOutput(model());
    const mj = JSON.parse(Buffer.from(files.get('model-0/model.json')!).toString('utf8')) as {
      format: string;
      weightsManifest: { paths: string[] }[];
    };
    expect(mj.format).toBe('layers-model');
    expect(mj.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(new Float32Array(files.get('model-0/weights.bin')!.slice().buffer)).toEqual(new Float32Array([1, 2]));
  });
});

describe('the content-addressed cache', () => {
  it('gives back what was put, byte for byte, and lists it', () => {
    const c = new Cache(tempDir());
    const out = { kind: 'query', logits: new Float32Array([0.5, -1, NaN]), classes: 3 };
    expect(c.get(h('a')).status).toBe('miss');
    c.put(h('a'), 'query/x', out);
    const got = c.get<typeof out>(h('a'));
    expect(got.status).toBe('hit');
    if (got.status === 'hit') expect(got.value).toEqual(out);
    c.put(h('b'), 'train/x', model());
    const m = c.get(h('b'));
    expect(m.status === 'hit' && m.value).toEqual(model());
    expect(c.list()).toEqual([h('a'), h('b')]);
    expect(readdirSync(c.dir).filter((n) => n.startsWith('.'))).toEqual([]); // no temp folder left
  });

  it('detects an entry torn by a lost write (its files are not fsynced): empty or zero-filled files behind the rename', () => {
    const dir = tempDir();
    const c = new Cache(dir);
    const out = { kind: 'query', logits: new Float32Array([0.5, -1, 2]), classes: 3 };
    // what a power loss can leave of a renamed entry whose data had not reached the disk
    const tears: [string, string, (b: Buffer) => Buffer][] = [
      ['data.bin', 'empty', () => Buffer.alloc(0)],
      ['data.bin', 'zero-filled', (b) => Buffer.alloc(b.length)],
      ['data.bin', 'zero-filled tail', (b) => Buffer.concat([b.subarray(0, 4), Buffer.alloc(b.length - 4)])],
      ['entry.json', 'empty', () => Buffer.alloc(0)],
      ['entry.json', 'zero-filled', (b) => Buffer.alloc(b.length)],
    ];
    for (const [file, how, tear] of tears) {
      c.put(h('d'), 'query/x', out);
      const f = join(dir, h('d'), file);
      writeFileSync(f, tear(readFileSync(f)));
      expect(c.verify(h('d')).status, `${file} ${how}`).toBe('corrupt');
      expect(c.get(h('d')).status, `${file} ${how}`).toBe('corrupt');
      expect(c.has(h('d'))).toBe(false);
      c.put(h('d'), 'query/x', out); // made again: a whole entry
      const again = c.get<typeof out>(h('d'));
      expect(again.status === 'hit' && again.value).toEqual(out);
      c.remove(h('d'));
    }
  });

  it('reports a corrupt entry (truncated, flipped bytes, or broken entry.json), discards it, and then misses', () => {
    const dir = tempDir();
    const c = new Cache(dir);
    const corruptions: [string, (d: string) => void][] = [
      [
        'truncated',
        (d) => {
          const f = join(d, 'data.bin');
          writeFileSync(f, readFileSync(f).subarray(0, 3));
        },
      ],
      [
        'flipped',
        (d) => {
          const f = join(d, 'data.bin');
          const b = readFileSync(f);
          b[0] = b[0]! ^ 0xff;
          writeFileSync(f, b);
        },
      ],
      ['entry', (d) => writeFileSync(join(d, 'entry.json'), '{"format":1,')],
      ['weights', (d) => writeFileSync(join(d, 'model-0', 'weights.bin'), Buffer.alloc(8))],
      // one digit of a number held in entry.json itself (an evaluate job keeps its metrics there)
      [
        'value',
        (d) => {
          const f = join(d, 'entry.json');
          writeFileSync(f, readFileSync(f, 'utf8').replace('"auc":0.75', '"auc":0.95'));
        },
      ],
      ['null', (d) => writeFileSync(join(d, 'entry.json'), 'null')],
    ];
    for (const [name, corrupt] of corruptions) {
      const out =
        name === 'weights'
          ? model()
          : name === 'value'
            ? { kind: 'evaluate', scores: new Float64Array([1, 2]), metrics: { auc: 0.75 } }
            : { kind: 'attack', scores: new Float64Array([1, 2, 3]) };
      c.put(h('c'), name, out);
      if (name === 'value') expect(readFileSync(join(dir, h('c'), 'entry.json'), 'utf8')).toContain('"auc":0.75');
      corrupt(join(dir, h('c')));
      const got = c.get(h('c'));
      expect(got.status, name).toBe('corrupt');
      expect(existsSync(join(dir, h('c')))).toBe(false);
      expect(c.get(h('c')).status).toBe('miss');
    }
  });
});
