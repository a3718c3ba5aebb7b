/**
 * The remote client's pacing against a real loopback API (test/e2e/hostile-api.ts): several requests in
 * flight with answers placed by record whatever order they come back in; 429 with Retry-After (seconds and
 * HTTP-date) waited for, as the API asks, and refused past the cap; 503s retried with backoff; an API that
 * requires a key. The arithmetic (Retry-After, backoff, the token bucket, the semaphore) is tested alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteApi } from '../../src/plan/index.js';
import { queryRemote, RemoteApiError } from '../../src/run/remote-api.js';
import { BACKOFF_MS, backoffMs, MAX_RETRY_AFTER_S, retryAfterMs } from '../../src/run/remote-retry.js';
import { Semaphore, sleep, TokenBucket } from '../../src/util/pace.js';
import { type HostileApi, hostileApi } from '../e2e/hostile-api.js';

let api: HostileApi;
beforeAll(async () => {
  api = await hostileApi({ classes: 2, token: 'Bearer k-51x', maxRequests: 200, lifetimeMs: 60_000 });
});
afterAll(() => api?.close());

const n = 450; // five batches of 100
const x = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? (i / 2 - 225) / 50 : 0));
/** What /echo answers for record i, as the client keeps it: log a, log(1 − a). */
const expected = Float64Array.from({ length: n * 2 }, (_, j) => {
  const a = 1 / (1 + Math.exp(-x[j - (j % 2)]!));
  return Math.log(j % 2 === 0 ? a : 1 - a);
});

const query = (path: string, more: Partial<RemoteApi> = {}, records = n) =>
  queryRemote({ url: `${api.origin}${path}`, output: 'probabilities', ...more }, x, records, [2], 2);

describe('pacing', () => {
  it('keeps several requests in flight, at most `concurrency`, and places answers by record, not arrival', async () => {
    const progress: number[] = [];
    const r = await queryRemote(
      { url: `${api.origin}/slow/200`, output: 'probabilities', pace: { concurrency: 3 } },
      x,
      n,
      [2],
      2,
      (done) => progress.push(done),
    );
    expect(r.values).toEqual(expected);
    expect(r.logProbs).toBe(true);
    expect(api.maxInFlight).toBeGreaterThanOrEqual(2);
    expect(api.maxInFlight).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toBe(n);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('waits out 429 with Retry-After in seconds or as an HTTP-date, then reads the answers', async () => {
    const seconds = await query('/throttle/1?after=1', {}, 50);
    expect(seconds.values).toEqual(expected.subarray(0, 100));
    const [first, second] = api.arrivals.get('/throttle/1')!;
    expect(second! - first!).toBeGreaterThanOrEqual(900); // the API asked for 1 s: mia did not ask sooner
    const date = await query('/throttle/2?after=date%2B1', {}, 50);
    expect(date.values).toEqual(expected.subarray(0, 100));
    expect(api.requests.get('/throttle/2')).toBe(3);
  });

  it('refuses a Retry-After beyond the cap at once, saying so', async () => {
    const e = await query('/throttle/5?after=3600', {}, 10).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RemoteApiError);
    expect((e as Error).message).toContain(
      `asks mia to wait 3600 s (Retry-After), longer than the ${MAX_RETRY_AFTER_S} s`,
    );
    expect(api.requests.get('/throttle/5')).toBe(1);
  });

  it('retries 503s with backoff, and sends the key on every attempt without showing it', async () => {
    const flaky = await query('/unavailable/2', {}, 50);
    expect(flaky.values).toEqual(expected.subarray(0, 100));
    expect(api.requests.get('/unavailable/2')).toBe(3);
    process.env.MIA_PACE_KEY = 'Bearer k-51x';
    const before = api.authorizations.length;
    const keyed = await query('/throttle/1/keyed?after=0&key=1', { headers: { authorization: 'MIA_PACE_KEY' } }, 50);
    expect(keyed.values).toEqual(expected.subarray(0, 100));
    expect(api.authorizations.slice(before)).toEqual(['Bearer k-51x', 'Bearer k-51x']);
    process.env.MIA_PACE_KEY = 'Bearer wrong';
    const refused = await query('/throttle/0?key=1', { headers: { authorization: 'MIA_PACE_KEY' } }, 10).catch(
      (err: unknown) => err as Error,
    );
    expect((refused as Error).message).toContain('answered HTTP 401');
    expect((refused as Error).message).not.toContain('wrong');
    delete process.env.MIA_PACE_KEY;
  });
});

describe('the arithmetic', () => {
  it('reads Retry-After as seconds or an HTTP-date, and nothing else', () => {
    const now = Date.parse('Sun, 06 Dec 2026 18:00:00 GMT');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sun, 06 Dec 2026 18:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sunday, 06-Dec-26 18:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun Dec  6 18:00:30 2026', now)).not.toBeNull();
    expect(retryAfterMs('Sun, 06 Dec 2026 17:00:00 GMT', now)).toBe(0); // past: at once
    for (const v of [null, '', '-5', '1.5', 'soon', '2026-12-06', '99999999999999'])
      expect(retryAfterMs(v, now)).toBeNull();
  });

  it('backs off exponentially, half of each wait random', () => {
    expect(backoffMs(2, () => 0)).toBe(BACKOFF_MS / 2);
    expect(backoffMs(2, () => 0.999)).toBeLessThan(BACKOFF_MS);
    expect(backoffMs(3, () => 0)).toBe(BACKOFF_MS);
    expect(backoffMs(4, () => 1)).toBe(4 * BACKOFF_MS);
  });

  it('a token bucket gives `burst` at once, then one per 1/rate s', () => {
    let t = 0;
    const b = new TokenBucket(2, 2, () => t);
    expect([b.take(), b.take()]).toEqual([0, 0]);
    expect(b.take()).toBe(500);
    t = 250;
    expect(b.take()).toBe(250);
    t = 500;
    expect(b.take()).toBe(0);
  });

  it('a semaphore runs at most `limit` tasks at once, all of them', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let most = 0;
    const done = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        s.run(async () => {
          most = Math.max(most, ++running);
          await sleep(5);
          running--;
          return i;
        }),
      ),
    );
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(most).toBe(2);
  });
});
