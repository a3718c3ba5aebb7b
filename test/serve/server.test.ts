/**
 * The server's limits on loopback, with a model that is a plain function (no TensorFlow.js): a request past
 * the rate gets 429 with Retry-After before its body is read, a body past the size limit 413, a model that
 * outputs NaN a 500 naming the instance; each request is one access-log entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedRelease } from '../../src/cli/serve/defenses.js';
import { type AccessEntry, startServer } from '../../src/cli/serve/server.js';
import type { ServedModel } from '../../src/cli/serve/served.js';

const model: ServedModel = {
  describe: 'a function',
  shape: [2],
  classes: 3,
  // logits [x0, x1, 0]; NaN when x0 is 99
  logits: (x, n) =>
    Float32Array.from({ length: n * 3 }, (_, j) =>
      j % 3 === 2 ? 0 : x[Math.floor(j / 3) * 2 + (j % 3)]! === 99 ? Number.NaN : x[Math.floor(j / 3) * 2 + (j % 3)]!,
    ),
  dispose: () => {},
};
const log: AccessEntry[] = [];
let served: Awaited<ReturnType<typeof startServer>>;
const setup = {
  p: undefined as unknown as Parameters<typeof startServer>[0],
  o: { host: '127.0.0.1', port: 0, maxBody: 2000, rate: 0.01, timeout: 10 },
};

beforeAll(async () => {
  const { release } = servedRelease(['top_k(1)'], 3);
  setup.p = { model, release, output: 'probabilities', maxBatch: 10, seed: 0 };
  served = await startServer(setup.p, setup.o, (e) => log.push(e));
});
afterAll(() => served?.app.close());

const post = (body: string) =>
  fetch(`${served.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('mia serve limits', () => {
  it('answers what the release lets out; refuses requests over the rate, NaN outputs and a big body', async () => {
    const ok = await post('{"instances": [[2, 1], [0, 5]]}'); // the one request the rate (0.01 a second) allows now
    const over = await post('{"instances": [[1, 1]]}');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await over.json()) as { error: string }).error).toContain('rate limit of 0.01 requests a second');
    served.app.close();
    served = await startServer(setup.p, { ...setup.o, rate: 0 }, (e) => log.push(e));
    const p = ((await ok.json()) as { predictions: number[][] }).predictions;
    expect(p.map((r) => r.map((v) => v > 0))).toEqual([
      [true, false, false],
      [false, true, false],
    ]);
    const nan = await post('{"instances": [[1, 1], [99, 1]]}');
    expect(nan.status).toBe(500);
    expect(((await nan.json()) as { error: string }).error).toContain('outputs NaN for instance 1');
    const big = await post(`{"instances": [${Array(400).fill('[1, 1]').join(',')}]}`);
    expect(big.status).toBe(413);
    expect(log.map((e) => e.status)).toEqual([200, 429, 500, 413]);
    expect(log[0]).toMatchObject({ method: 'POST', url: '/predict', instances: 2 });
  });
});
