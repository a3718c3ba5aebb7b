/**
 * The package as a user gets it: `npm pack`, the tarball installed offline into a fresh project (from the npm
 * cache), `npx mia run` on a small spec, and a TypeScript program of the library compiled with `tsc --strict`
 * against the installed declarations and run (it follows the events and reads the AUC). The published JSON
 * Schemas (checked with Ajv, independent of the zod definitions they come from) accept what the installed mia
 * wrote: both results.json files and every --json line.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, runAsync, tempDir } from '../e2e/helpers.js';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const dir = tempDir('mia-pack-');
const project = join(dir, 'project');
let tarball = '';
let listing: string[] = [];

const npm = (args: string[], cwd: string) => runAsync('npm', args, { cwd, timeout: 600_000 });

beforeAll(async () => {
  // --ignore-scripts: `prepare` would rebuild dist/ under the other test files; pretest has built it
  const packed = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, info!.filename);
  listing = info!.files.map((f) => f.path);
}, 600_000);

describe('the package', () => {
  it('holds what a user needs: declarations, schemas, licence; no cache, results or source maps', () => {
    for (const f of [
      'bin/mia.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/schemas/results.schema.json',
      'dist/schemas/signals.schema.json',
      'dist/schemas/events.schema.json',
      'LICENSE',
      'CITATION.cff',
      'CHANGELOG.md',
      'experiments/quickstart.mia',
    ])
      expect(listing).toContain(f);
    expect(listing.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(listing.filter((f) => f.includes('.mia/') || /(^|\/)results\//.test(f) || f.startsWith('test/'))).toEqual(
      [],
    );
  });

  it('installs offline into a fresh project; npx mia run, a strict TypeScript program of the API, the schemas', async () => {
    execFileSync('mkdir', ['-p', project]);
    copyFileSync(tarball, join(project, 'mia.tgz'));
    const dependencies = { mia: 'file:./mia.tgz' };
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'user', private: true, type: 'module', dependencies }),
    );
    writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockFor('./mia.tgz')));
    // as the repository's .npmrc: onnxruntime-node's install script would fetch CUDA libraries
    writeFileSync(join(project, '.npmrc'), 'onnxruntime-node-install=skip\n');
    const installed = await npm(['ci', '--offline', '--no-audit', '--no-fund', '--omit=optional'], project);
    expect(installed.code, installed.stderr).toBe(0);
    copyFileSync(join(here, 'smoke.mia'), join(project, 'smoke.mia'));

    const cli = await runAsync('npx', ['--no', 'mia', 'run', 'smoke.mia', '--out', 'cli', '--no-cache', '--json'], {
      cwd: project,
    });
    expect(cli.code, cli.stderr).toBe(0);

    const deep = await runAsync(process.execPath, ['-e', "import('mia/dist/cli/main.js')"], { cwd: project });
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');

    copyFileSync(join(here, 'api-smoke.ts'), join(project, 'api-smoke.ts'));
    const tsc = await runAsync(process.execPath, [
      require.resolve('typescript/bin/tsc'),
      ...['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'],
      ...['--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), '--skipLibCheck'],
      join(project, 'api-smoke.ts'),
    ]);
    expect(tsc.code, tsc.stdout).toBe(0);
    const api = await runAsync(process.execPath, ['api-smoke.js', 'smoke.mia', 'api'], { cwd: project });
    expect(api.code, api.stderr).toBe(0);
    const line = JSON.parse(api.stdout) as Record<string, unknown>;
    expect(line.auc).toBeGreaterThanOrEqual(0);
    expect(line.auc).toBeLessThanOrEqual(1);
    expect(line.events).toEqual(expect.arrayContaining(['runStarted', 'jobStarted', 'jobFinished', 'runFinished']));
    expect(line.finishedJobs).toBeGreaterThan(0);
    expect(line).toMatchObject({ refusedOk: false, refusedCodes: expect.arrayContaining(['E113']), error: 'spec:1' });

    await schemasAccept(cli.stdout);
  }, 900_000);
});

/**
 * A lockfile for a project that depends on the tarball only, with the versions of the repository's lockfile:
 * offline, npm resolves nothing (the cache holds the tarballs, not every package's metadata). An entry without
 * `resolved` (npm leaves it out at times) gets the registry's tarball address, which the cache is keyed by.
 */
function lockFor(tgz: string): object {
  type Entry = Record<string, unknown> & { version?: string; name?: string; dev?: boolean; devOptional?: boolean };
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, unknown> = {
    '': { name: 'user', dependencies: { mia: `file:${tgz}` } },
    'node_modules/mia': {
      ...{ version: pkg.version, resolved: `file:${tgz}`, license: pkg.license, bin: pkg.bin, engines: pkg.engines },
      ...{ dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies },
    },
  };
  for (const [k, v] of Object.entries(lock.packages)) {
    if (!k.startsWith('node_modules/') || v.dev || v.link) continue;
    const { devOptional, ...entry } = v;
    const name = v.name ?? k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length);
    entry.resolved ??= `https://registry.npmjs.org/${name}/-/${name.split('/').at(-1)}-${v.version}.tgz`;
    packages[k] = devOptional ? { ...entry, optional: true } : entry;
  }
  return { name: 'user', lockfileVersion: 3, requires: true, packages };
}

/** The installed package's JSON Schemas, as a user's validator reads them, on what the installed mia wrote. */
async function schemasAccept(jsonLines: string): Promise<void> {
  const { Ajv2020 } = (await import(require.resolve('ajv/dist/2020.js'))) as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  const schemaDir = join(project, 'node_modules', 'mia', 'dist', 'schemas');
  expect(readdirSync(schemaDir).sort()).toEqual(['events.schema.json', 'results.schema.json', 'signals.schema.json']);
  const load = (n: string) => ajv.compile(JSON.parse(readFileSync(join(schemaDir, n), 'utf8')) as object);
  const results = load('results.schema.json');
  for (const f of ['cli', 'api']) {
    const r = JSON.parse(readFileSync(join(project, f, 'results.json'), 'utf8')) as unknown;
    expect(results(r), JSON.stringify(results.errors)).toBe(true);
    expect(results({ ...(r as object), seed: '3' })).toBe(false);
  }
  const event = load('events.schema.json');
  const lines = jsonLines.trim().split('\n');
  expect(lines.map((l) => (JSON.parse(l) as { type: string }).type)).toContain('resultsWritten');
  for (const l of lines) expect(event(JSON.parse(l)), `${l}\n${JSON.stringify(event.errors)}`).toBe(true);
  expect(event({ type: 'jobStarted', id: 'x', at: 1 })).toBe(false);
  const signals = load('signals.schema.json');
  expect(
    signals({
      member: [1, 0],
      labels: 'y.npy',
      target: {
        logits: [
          [0.1, 0.9],
          [true, 2],
        ],
      },
    }),
  ).toBe(true);
  expect(signals({ member: [1, 0], target: { logits: [['a']] } })).toBe(false);
  expect(signals({ member: [1, 0], target: { logits: [] }, extra: 1 })).toBe(false);
}
