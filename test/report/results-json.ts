/** A real results.json (test/fixtures/results-full.json: every block mia writes) and ways to walk and change it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'results-full.json');
export const fixtureText = readFileSync(FIXTURE, 'utf8');
export const fixture = (): Record<string, unknown> => JSON.parse(fixtureText) as Record<string, unknown>;

export type Key = string | number;

/** A place in the file as the schema's messages write it: `runs[0].target.name`, `tprAtFpr["0.01"]`. */
export const pathText = (keys: readonly Key[]): string =>
  keys.reduce<string>(
    (p, k) =>
      typeof k === 'number'
        ? `${p}[${k}]`
        : /^[A-Za-z_$][\w$]*$/.test(k)
          ? p
            ? `${p}.${k}`
            : k
          : `${p}[${JSON.stringify(k)}]`,
    '',
  );

/** Every node of a JSON value with its place: leaves and containers. */
export function* nodes(v: unknown, keys: Key[] = []): Generator<{ keys: Key[]; value: unknown }> {
  yield { keys, value: v };
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* nodes(v[i], [...keys, i]);
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) yield* nodes(x, [...keys, k]);
}

/** A copy of `root` with the node at `keys` replaced (`remove`: deleted). */
export function changed(root: unknown, keys: readonly Key[], value: unknown, remove = false): unknown {
  const copy = structuredClone(root) as Record<Key, unknown>;
  let at = copy;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<Key, unknown>;
  const last = keys.at(-1)!;
  if (remove) delete at[last];
  else at[last] = value;
  return copy;
}
