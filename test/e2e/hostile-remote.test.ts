/**
 * `mia run` against a hostile API (hostile-api.ts): each misbehaviour ends the run with exit 1, one line
 * naming the url, no stack trace and no results; a url with credentials is refused at plan time without
 * printing its password; a header from the environment arrives, and its value reaches no output, event,
 * results.json or cache key.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clinicCsv } from './data-helpers.js';
import { type Ran, runAsync, bin, tempDir } from './helpers.js';
import { type HostileApi, hostileApi } from './hostile-api.js';

let api: HostileApi;
let elsewhere: HostileApi;
const dir = tempDir('mia-hostile-');

beforeAll(async () => {
  writeFileSync(join(dir, 'clinic.csv'), clinicCsv(120));
  [api, elsewhere] = await Promise.all([
    hostileApi({ classes: 2, token: 'Bearer tok-7f3a9' }),
    hostileApi({ classes: 2, host: '127.0.0.2' }),
  ]);
});

afterAll(async () => {
  await Promise.all([api?.close(), elsewhere?.close()]);
});

const spec = (
  url: string,
  more = '',
  attack = 'attack loss = threshold { signal: loss }',
) => `experiment hostile { seed 3 }
dataset d = csv("clinic.csv") { label: "Outcome", missing: "NA" }
target t = remote {
  url: "${url}"
  budget: 1000
  members: d.take(30)
  nonmembers: d.take(30)
  ${more}
}
${attack}
`;

/** `mia ARGS` on `text` (written as NAME.mia) with `env` added to the environment. */
function mia(name: string, text: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const file = join(dir, `${name}.mia`);
  writeFileSync(file, text);
  const argv = args.map((a) => a.replace('SPEC', file).replace('OUT', join(dir, name)));
  return runAsync('/usr/bin/env', [
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    process.execPath,
    bin,
    ...argv,
  ]);
}

const run = (name: string, text: string, env: Record<string, string> = {}) =>
  mia(name, text, ['run', 'SPEC', '--out', 'OUT', '--no-cache', '--quiet'], env);

/** A failed run: exit 1, its job's one line containing `what`, no stack trace, nothing written. */
function failedWith(name: string, r: Ran, what: string): void {
  expect(r.code, r.stderr).toBe(1);
  const line = r.stderr.split('\n').find((l) => l.includes(what));
  expect(line, r.stderr).toBeDefined();
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(existsSync(join(dir, name, 'results.json'))).toBe(false);
}

// The runs of these tests are independent (each its own path, spec and output; nothing cached) and spend much
// of their time waiting for the server or a retry: they run at once, which no assertion depends on.
describe.concurrent('mia run against a hostile API', () => {
  it('refuses a redirect to another host, sending it nothing, whatever the code', async () => {
    const codes = [302, 307, 308];
    const url = (code: number) => `${api.origin}/redirect/${code}?to=${encodeURIComponent(`${elsewhere.origin}/ok`)}`;
    const runs = await Promise.all(codes.map((code) => run(`redirect-${code}`, spec(url(code)))));
    for (const [i, code] of codes.entries()) {
      const r = runs[i]!;
      failedWith(`redirect-${code}`, r, `The API at ${url(code)} answered HTTP ${code}`);
      expect(r.stderr).toContain(`a redirect to ${elsewhere.origin}/ok`);
    }
    expect(elsewhere.requests.size).toBe(0);
  });

  it('stops an endless answer and a gzip bomb at the size a batch can need, and names the url', async () => {
    const paths = ['/endless', '/gzip'];
    const runs = await Promise.all(paths.map((path) => run(`size${path.slice(1)}`, spec(`${api.origin}${path}`))));
    for (const [i, path] of paths.entries())
      failedWith(`size${path.slice(1)}`, runs[i]!, `The API at ${api.origin}${path} sent more than`);
  });

  it('retries an answer cut mid-body, then fails naming the url; a drip is stopped by the timeout', async () => {
    const [cut, drip] = await Promise.all([
      run('cut', spec(`${api.origin}/cut/40`)),
      run('drip', spec(`${api.origin}/drip`, 'timeout: 0.5')),
    ]);
    failedWith('cut', cut, `The API at ${api.origin}/cut/40 could not be queried (the connection broke after 40 bytes`);
    expect(api.requests.get('/cut/40')).toBe(3);
    failedWith('drip', drip, 'could not be queried (no complete answer within 0.5 s');
  });

  it('refuses probabilities that do not sum to 1, naming the record; output: scores allows label-only attacks only', async () => {
    const [high, scores, gap] = await Promise.all([
      run('high', spec(`${api.origin}/probs/high`)),
      mia('scores', spec(`${api.origin}/probs/high`, 'output: scores'), ['check', 'SPEC']),
      run('gap', spec(`${api.origin}/probs/over`, 'output: scores', 'attack gap = label_only { method: gap }')),
    ]);
    failedWith('high', high, 'answered for record 0 of d probabilities that sum to 1.8');
    expect(scores.code).toBe(1);
    expect(scores.stdout + scores.stderr).toContain('its output is unnormalised scores');
    expect(gap.code, gap.stderr).toBe(0);
  });
});

describe('credentials', () => {
  it('a url with a password is refused before any work; the password is printed nowhere, code frames included', async () => {
    const url = 'http://admin:hunter2@127.0.0.1:9/v1/models/m:predict';
    const p = await mia('creds', spec(url), ['plan', 'SPEC']);
    expect(p.code).toBe(1);
    expect(p.stderr).toContain('carries credentials (http://***@127.0.0.1:9/v1/models/m:predict)');
    expect(p.stderr).toContain('headers: { Authorization: env("MIA_API_TOKEN") }');
    expect(p.stderr).toContain('url: "http://*************@127.0.0.1:9/v1/models/m:predict"'); // the code frame
    const oneLine = `experiment x { seed 1 }
dataset d = csv("clinic.csv") { label: "Outcome" }
target t = remote { url: "${url}", bogus: 1,
  budget: 1000, members: d.take(30), nonmembers: d.take(30) }
attack loss = threshold { signal: loss }
`;
    const c = await mia('creds-frame', oneLine, ['check', 'SPEC']);
    expect(c.code).toBe(1);
    expect(c.stdout + c.stderr).toContain('Unknown setting "bogus"');
    expect(c.stdout + c.stderr).toContain('http://*************@127.0.0.1:9');
    for (const out of [p.stdout, p.stderr, c.stdout, c.stderr]) expect(out).not.toContain('hunter2');
  });

  it('a header from the environment arrives; its value is in no output, event, results.json or cache key', async () => {
    const text = spec(`${api.origin}/auth`, 'headers: { Authorization: env("MIA_TEST_TOKEN") }');
    const missing = await mia('auth-missing', text, ['plan', 'SPEC'], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('environment variable MIA_TEST_TOKEN, which is not set');
    const before = api.authorizations.length;
    const ok = await mia('auth', text, ['run', 'SPEC', '--out', 'OUT', '--cache', join(dir, 'cache'), '--json'], {
      MIA_TEST_TOKEN: 'Bearer tok-7f3a9',
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(api.authorizations.slice(before)).toEqual(['Bearer tok-7f3a9']);
    const results = readFileSync(join(dir, 'auth', 'results.json'), 'utf8');
    const cacheText = readdirSync(join(dir, 'cache'), { recursive: true }).map(String).join('\n');
    for (const out of [ok.stdout, ok.stderr, results, cacheText]) expect(out).not.toContain('tok-7f3a9');
    // the cache key names the variable, not its value: another token reuses the answers
    const plans = await Promise.all(
      ['Bearer tok-7f3a9', 'Bearer other'].map((v) =>
        mia('auth', text, ['plan', 'SPEC', '--format', 'json', '--cache', join(dir, 'cache')], { MIA_TEST_TOKEN: v }),
      ),
    );
    const [a, b] = plans.map((p) => JSON.parse(p.stdout) as { jobs: { id: string; hash: string; cached: boolean }[] });
    expect(a!.jobs.find((j) => j.id.startsWith('remote/'))).toEqual(b!.jobs.find((j) => j.id.startsWith('remote/')));
    expect(a!.jobs.find((j) => j.id.startsWith('remote/'))!.cached).toBe(true);
    for (const p of plans) expect(p.stdout).not.toContain('tok-7f3a9');
  });
});
