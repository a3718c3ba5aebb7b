/**
 * `mia cache gc [DIR]`: removes the cache entries no experiment in DIR (searched recursively)
 * references, under any backend and at any sweep point. Each spec's cache is .mia/cache beside it,
 * or --cache DIR for all. A cache beside a spec that does not check is left alone.
 */
import { lstatSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetInfos, defaultCacheDir, gateSpec, loadSpec } from '../pipeline/index.js';
import type { TypedProgram } from '../check/index.js';
import { compile, type DatasetInfo } from '../plan/index.js';
import { Cache } from '../run/index.js';
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';

const BACKENDS = ['tfjs-node', 'wasm', 'cpu'];
const LEFTOVER_AGE_MS = 10 * 60 * 1000;

export function findSpecs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('.') || n === 'node_modules') continue;
      const p = join(d, n);
      let st;
      try {
        st = lstatSync(p); // a symbolic link is never followed: two links to a parent would walk forever
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && n.endsWith('.mia')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export interface GcOptions {
  dir: string;
  cache?: string;
  dryRun: boolean;
}

/**
 * For each cache folder (the one given, else each spec's own), the entries the specs in it reference,
 * and the specs that do not compile (whose references are unknown, so their cache is left alone).
 */
function referencedEntries(
  specs: readonly string[],
  given: string | undefined,
): Map<string, { keep: Set<string>; blocked: string[] }> {
  const caches = new Map<string, { keep: Set<string>; blocked: string[] }>();
  const cacheOf = (dir: string) => {
    let c = caches.get(dir);
    if (!c) caches.set(dir, (c = { keep: new Set(), blocked: [] }));
    return c;
  };
  if (given) cacheOf(resolve(given));
  for (const f of specs) {
    const c = cacheOf(given ? resolve(given) : defaultCacheDir(f));
    const loaded = loadSpec(f);
    if (!loaded.program) {
      c.blocked.push(f);
      continue;
    } // it may have run before its current edit
    // A library (no target) and a spec mia run refuses reference nothing: neither can have run.
    const program = gateSpec(loaded).value;
    if (loaded.program.targets.length === 0 || !program) continue;
    try {
      const memo = new Map<string, DatasetInfo>();
      const infos = (p: TypedProgram) => datasetInfos(p, null, memo);
      for (const b of BACKENDS) for (const j of compile(program, infos, b).value?.jobs ?? []) c.keep.add(j.hash);
    } catch {
      c.blocked.push(f);
    }
  }
  return caches;
}

export function cacheGcCommand(o: GcOptions, out: (s: string) => void, err: (s: string) => void): number {
  const root = resolve(o.dir);
  try {
    if (!statSync(root).isDirectory()) throw new Error();
  } catch {
    throw new UsageError(`${o.dir} is not a folder.`);
  }
  const specs = findSpecs(root);
  const caches = referencedEntries(specs, o.cache);
  let removed = 0,
    bytes = 0,
    kept = 0;
  for (const [dir, { keep, blocked }] of caches) {
    const cache = new Cache(dir);
    const entries = cache.list();
    if (entries.length === 0) continue;
    if (blocked.length) {
      err(
        `mia: left ${dir} alone: ${blocked.join(', ')} ${blocked.length === 1 ? 'does' : 'do'} not compile, so what ${blocked.length === 1 ? 'it references' : 'they reference'} is unknown.\n`,
      );
      kept += entries.length;
      continue;
    }
    for (const h of entries) {
      if (keep.has(h)) {
        kept++;
        continue;
      }
      bytes += cache.size(h);
      removed++;
      if (!o.dryRun) cache.remove(h);
    }
    if (!o.dryRun) for (const p of cache.leftovers(LEFTOVER_AGE_MS)) rmSync(p, { recursive: true, force: true });
  }
  out(
    `${o.dryRun ? 'would remove' : 'removed'} ${removed} cache entr${removed === 1 ? 'y' : 'ies'} (${(bytes / 1e6).toFixed(1)} MB); kept ${kept}, referenced by ${specs.length} experiment${specs.length === 1 ? '' : 's'} in ${o.dir}\n`,
  );
  return 0;
}

export const cacheCli = defineCommand({
  name: 'cache',
  summary: 'cache gc: remove cache entries no experiment in DIR (default .) references',
  usage: 'gc [DIR] [options]',
  options: {
    cache: { type: 'string', value: 'DIR', help: 'collect this cache (default: .mia/cache beside each spec)' },
    'dry-run': { type: 'boolean', default: false, help: 'only say what would be removed' },
  },
  run: ({ values: v, positionals }, io) => {
    const [sub, dir, ...more] = positionals;
    if (sub !== 'gc')
      throw new UsageError(
        sub ? `Unknown cache command "${sub}". Use: mia cache gc [DIR].` : 'Use: mia cache gc [DIR].',
      );
    if (more.length > 0) throw new UsageError('mia cache gc takes at most one folder.');
    return cacheGcCommand({ dir: dir ?? '.', cache: v.cache, dryRun: v['dry-run'] }, io.out, io.err);
  },
});
