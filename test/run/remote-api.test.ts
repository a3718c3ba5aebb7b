/**
 * queryRemote against a hostile API (test/e2e/hostile-api.ts, a real loopback server): redirects refused
 * with the url and the Location, answers cut at what a batch can need, connections cut mid-answer retried
 * and named, the time limit holding against a slow drip, probabilities that do not sum to 1 refused with
 * the record, headers from the environment, and no secret or control character in any message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteApi } from '../../src/plan/index.js';
import { answerBytes, queryRemote, REMOTE_ATTEMPTS, RemoteApiError } from '../../src/run/remote-api.js';
import { type HostileApi, hostileApi } from '../e2e/hostile-api.js';

let api2: HostileApi; // two classes
let api3: HostileApi; // three classes
let elsewhere: HostileApi; // another host (127.0.0.2), where a redirect would lead
let otherPort: HostileApi;

beforeAll(async () => {
  [api2, api3, elsewhere, otherPort] = await Promise.all([
    hostileApi({ classes: 2, token: 'Bearer s3cret-token' }),
    hostileApi({ classes: 3 }),
    hostileApi({ classes: 2, host: '127.0.0.2' }),
    hostileApi({ classes: 2 }),
  ]);
});

afterAll(async () => {
  await Promise.all([api2, api3, elsewhere, otherPort].map((a) => a?.close()));
});

const n = 5;
const x = Float32Array.from({ length: n * 2 }, (_, i) => i / 10);

function query(url: string, more: Partial<RemoteApi> = {}, classes = 2, records = n) {
  const api: RemoteApi = { url, output: 'probabilities', ...more };
  return queryRemote(
    api,
    x.subarray(0, records * 2),
    records,
    [2],
    classes,
    undefined,
    (i) => `record ${100 + i}`,
  ).then((r) => r.values);
}

/** The RemoteApiError a query fails with (and a check that it is one line, bounded, free of raw control characters). */
async function failure(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RemoteApiError);
  const m = (e as Error).message;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: no raw control character may reach a message
  expect(m).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(m.length).toBeLessThan(900);
  return m;
}

describe('redirects', () => {
  const codes = [301, 302, 303, 307, 308];
  it.each(codes)(
    'HTTP %i to another host, another port, the same origin or nowhere is refused, naming both',
    async (code) => {
      const targets = [
        `${elsewhere.origin}/ok`,
        `${otherPort.origin}/ok`,
        `${api2.origin}/ok`,
        '/ok', // relative: resolved against the url
        'secret', // SECRET_LOCATION
      ];
      for (const to of targets) {
        const url = `${api2.origin}/redirect/${code}?to=${encodeURIComponent(to)}`;
        const m = await failure(query(url));
        expect(m).toContain(`The API at ${url} answered HTTP ${code}`);
        expect(m).toContain('a redirect to ');
        expect(m).toContain('mia follows no redirect');
        expect(m).not.toContain('hunter2');
        expect(m).not.toContain('abc123');
        if (to.startsWith('/')) expect(m).toContain(`a redirect to ${api2.origin}/ok`);
        else if (to !== 'secret') expect(m).toContain(`a redirect to ${to}`);
        else expect(m).toContain('http://***@127.0.0.2:9/steal?api_key=***');
      }
      const none = await failure(query(`${api2.origin}/redirect/${code}`));
      expect(none).toContain('a redirect to no Location');
      expect(elsewhere.requests.size + otherPort.requests.size).toBe(0);
      expect(api2.requests.get('/ok')).toBeUndefined(); // not even the same origin
    },
  );
});

describe('answers bounded in size and time', () => {
  it.each(['endless', 'line', 'gzip'])(
    'an answer past what the batch can need (%s) is cut and refused, not retried',
    async (path) => {
      const before = api2.requests.get(`/${path}`) ?? 0;
      const rss = process.memoryUsage().rss;
      const m = await failure(query(`${api2.origin}/${path}`));
      expect(m).toContain(`The API at ${api2.origin}/${path} sent more than ${answerBytes(n, 2)} bytes`);
      expect(m).toContain('instances 0–4');
      expect(api2.requests.get(`/${path}`)! - before).toBe(1);
      expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 * 1024);
    },
  );

  it('a connection cut mid-answer is retried, then named with the url and the bytes that came', async () => {
    const full = `{"predictions": ${JSON.stringify(Array(n).fill([0.5, 0.5]))}}`.length;
    const cases = [0, 1, 17, Math.floor(full / 2), full - 1].flatMap((b) => [`/cut/${b}`, `/cut-chunked/${b}`]);
    const messages = await Promise.all(cases.map((path) => failure(query(`${api2.origin}${path}`))));
    messages.forEach((m, i) => {
      const path = cases[i]!;
      expect(m).toContain(`The API at ${api2.origin}${path} could not be queried (`);
      expect(m).toContain(`after ${REMOTE_ATTEMPTS} attempts`);
      expect(m).not.toContain('(terminated)');
      expect(api2.requests.get(path)).toBe(REMOTE_ATTEMPTS);
    });
    expect(messages.some((m) => /the connection broke after \d+ bytes of the answer/.test(m))).toBe(true);
  });

  it('a slow drip or a stall is stopped by the time limit for the whole answer, each attempt', async () => {
    const [drip, stall] = await Promise.all(
      ['/drip', '/stall'].map((p) => failure(query(`${api2.origin}${p}`, { timeout: 0.5 }))),
    );
    expect(drip).toMatch(/could not be queried \(no complete answer within 0\.5 s, \d+ bytes of it had come\) after 3/);
    expect(stall).toContain('could not be queried (no complete answer within 0.5 s');
    expect(api2.requests.get('/drip')).toBe(REMOTE_ATTEMPTS);
  });

  it('5xx answers are retried; an error body is quoted clipped, its control characters escaped', async () => {
    const m = await failure(query(`${api2.origin}/status/503`));
    expect(m).toContain('could not be queried (HTTP 503 Service Unavailable) after 3 attempts');
    const e = await failure(query(`${api2.origin}/error`));
    expect(e).toContain(
      'answered HTTP 400 Bad Request to instances 0–4: \\u001b[2J\\u001b[HYOUR MODEL IS SAFE\\u0007 xxx',
    );
    expect(e).toMatch(/x…$/);
  });
});

describe('answers read as what the target declares', () => {
  it.each([
    ['zero', 'sum to 0'],
    ['high', 'sum to 1.8'],
    ['half', 'sum to 0.5'],
    ['negative', 'a probability outside [0, 1]'],
    ['over', 'a probability outside [0, 1]'],
    ['strings', 'not 2 finite numbers'],
  ])('probabilities %s are refused, naming the url and the record', async (name, what) => {
    const url = `${api2.origin}/probs/${name}`;
    const m = await failure(query(url));
    expect(m).toContain(`The API at ${url} answered for record 100`);
    expect(m).toContain(what);
  });

  it('rows summing to 1 within the tolerance, or within the rounding of a rounded release, are read', async () => {
    const exact = await query(`${api3.origin}/probs/exact`, {}, 3);
    expect(exact[0]).toBeCloseTo(Math.log(1 / 3), 5);
    const rounded = await query(`${api3.origin}/probs/rounded`, {}, 3); // 0.33 × 3 = 0.99
    expect(rounded[0]).toBe(Math.log(0.33)); // as released: float64, never renormalised
  });

  it('NaN, Infinity, floats beyond single precision, lists nested 6000 deep and a top-k naming a class twice are refused', async () => {
    expect(await failure(query(`${api2.origin}/text/nan`))).toContain('answered NaN in its answer to instances 0–4');
    expect(await failure(query(`${api2.origin}/text/inf`))).toContain('answered Infinity');
    const huge = await failure(query(`${api2.origin}/text/huge`, { output: 'logits' }));
    expect(huge).toContain('beyond single precision');
    const dup = await failure(query(`${api2.origin}/text/dup-topk`, { output: 'top_k', k: 2 }));
    expect(dup).toContain('class 0 twice');
    const deep = await failure(query(`${api2.origin}/text/deep`));
    expect(deep).toContain('answered for record 100 not 2 finite numbers (one per class); got [[[[[[[[[…]]]]]]]]');
  });

  it('top_k scores must be the highest of a distribution: at least k / C in all, at most 1', async () => {
    const half = await query(`${api2.origin}/probs/half`, { output: 'top_k', k: 1 });
    expect(half[0]).toBeCloseTo(Math.log(0.5), 5);
    const zero = await failure(query(`${api2.origin}/probs/zero`, { output: 'top_k', k: 1 }));
    expect(zero).toContain('sum to 0, where they should sum to between 0.5 and 1, as the 1 highest of 2');
  });

  it('output scores reads unnormalised rows as the label of their highest score', async () => {
    const rows = await query(`${api2.origin}/probs/over`, { output: 'scores' }); // [1.5, -0.5]
    expect(rows[0]).toBe(0);
    expect(rows[1]).toBe(Number.NEGATIVE_INFINITY); // a released row: the hidden class has probability 0
  });
});

describe('headers from the environment', () => {
  it('sends the variable’s value, and says which variable is missing without sending anything', async () => {
    process.env.MIA_TEST_API_TOKEN = 'Bearer s3cret-token';
    const rows = await query(`${api2.origin}/auth`, { headers: { Authorization: 'MIA_TEST_API_TOKEN' } });
    expect(rows).toHaveLength(n * 2);
    expect(api2.authorizations.at(-1)).toBe('Bearer s3cret-token');
    const before = api2.requests.get('/auth');
    delete process.env.MIA_TEST_API_TOKEN;
    const m = await failure(query(`${api2.origin}/auth`, { headers: { Authorization: 'MIA_TEST_API_TOKEN' } }));
    expect(m).toContain('environment variable MIA_TEST_API_TOKEN, which is not set');
    expect(api2.requests.get('/auth')).toBe(before);
    const refused = await failure(query(`${api2.origin}/auth`));
    expect(refused).toContain('answered HTTP 401 Unauthorized');
  });
});
