/**
 * A remote target's headers, timeout and output as `mia check` reads them: header values come from
 * environment variables only (E193 otherwise), headers mia sets itself are refused, the timeout is bounded
 * (E117), and `output: scores` releases labels (E350 for an attack that needs probabilities).
 */
import { describe, expect, it } from 'vitest';
import { BASE, check, errorsOf } from './helpers.js';

const remote = (settings: string, attack = 'attack gap = label_only { method: gap }') =>
  BASE.replace(
    'target victim { model mlp,',
    `target victim = remote { url: "http://127.0.0.1:9/p", output: labels, budget: 1000, ${settings}`,
  ).replace('attack loss = threshold { signal: loss }', attack);

describe('a remote target’s settings', () => {
  it('accepts headers from env("NAME"), a key’s _ written as -', () => {
    const ds = check(remote('headers: { Authorization: env("MIA_API_TOKEN"), X_Api_Key: env("KEY") }, timeout: 2.5,'));
    expect(ds.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each([
    ['headers: { Authorization: "Bearer abc" }', 'must take its value from an environment variable'],
    ['headers: { Authorization: env(MIA_API_TOKEN) }', 'must take its value from an environment variable'],
    ['headers: { Authorization: env("MIA_API_TOKEN", "x") }', 'must take its value from an environment variable'],
    ['headers: { Authorization: env("1BAD-NAME") }', 'must be a name such as MIA_API_TOKEN'],
    ['headers: { Content_Type: env("X") }', 'The header "Content-Type" of target "victim" is set by mia itself.'],
    ['headers: { host: env("X") }', 'is set by mia itself'],
    ['headers: { Authorization: env("A"), authorization: env("B") }', 'The header "authorization" is given twice'],
    ['headers: "Authorization: abc"', 'must be a block of header names and env("VARIABLE") values'],
  ])('refuses %s (E193)', (setting, message) => {
    const ds = errorsOf(remote(`${setting},`), 'E193');
    expect(ds).toHaveLength(1);
    expect(ds[0]!.message).toContain(message);
    expect(ds[0]!.message).not.toContain('abc');
  });

  it.each(['0', '-1', '601'])('refuses timeout: %s (E117)', (t) => {
    const [d] = errorsOf(remote(`timeout: ${t},`), 'E117');
    expect(d!.message).toBe('The timeout of target "victim" must be more than 0 and at most 600 seconds.');
  });

  it('output: scores releases labels: label-only attacks pass, probability attacks are E350', () => {
    const scores = (attack: string) => remote('', attack).replace('output: labels', 'output: scores');
    expect(errorsOf(scores('attack gap = label_only { method: gap }'), 'E350')).toEqual([]);
    const [d] = errorsOf(scores('attack loss = threshold { signal: loss }'), 'E350');
    expect(d!.message).toContain('its output is unnormalised scores, of which mia reads only the highest class');
  });

  it('refuses a url with credentials at its place, the password masked in the message', () => {
    const src = remote('').replace('"http://127.0.0.1:9/p"', '"https://admin:hunter2@127.0.0.1:9/p?api_key=abc"');
    const [d] = errorsOf(src, 'E193');
    expect(d!.message).toBe(
      'The url of target "victim" carries credentials (https://***@127.0.0.1:9/p?api_key=***): a spec is shared and kept with its results, so mia takes none from it.',
    );
    expect(d!.hint).toContain('headers: { Authorization: env("MIA_API_TOKEN") }');
  });
});
