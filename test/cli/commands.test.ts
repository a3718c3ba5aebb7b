import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { runMain } from './in-process.js';
import { capJobs, parseJobs } from '../../src/cli/prepare.js';
import { mia, root, runAsync, tempDir } from '../e2e/helpers.js';

const tiny = join(root, 'test', 'fixtures', 'tiny.mia');

const run = runMain;

describe('the command table', () => {
  it('gives every command its own --help, listing its options', async () => {
    const names = COMMANDS.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['run', 'check', 'fmt', 'plan', 'diff', 'cache', 'attack']));
    for (const c of COMMANDS) {
      for (const args of [
        [c.name, '--help'],
        [c.name, '-h'],
        ['help', c.name],
      ]) {
        const r = await run(args);
        expect(r.code).toBe(0);
        expect(r.stdout.startsWith(`usage: ${c.usage}\n`)).toBe(true);
        expect(r.stdout).toContain(c.summary);
        expect(r.stdout).toContain('--help');
      }
    }
    const runHelp = (await run(['run', '--help'])).stdout;
    for (const o of [
      '--out DIR',
      '--backend auto|tfjs-node|wasm|cpu',
      '--jobs N',
      '--cache DIR',
      '--no-cache',
      '--json',
    ])
      expect(runHelp).toContain(o);
    expect(runHelp).not.toContain('--signals'); // another command's option
    expect((await run(['attack', '--help'])).stdout).toContain('(default 0.3)');
  });

  it('prints the global help from the table, with the quickstart command', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.summary);
    expect(r.stdout).toContain('mia run experiments/quickstart.mia');
    expect(existsSync(join(root, 'experiments', 'quickstart.mia'))).toBe(true);
    expect(await run([])).toMatchObject({ code: 2, stdout: r.stdout });
  });

  it('answers a usage error with its one line, the usage line and a pointer to the command help', async () => {
    const r = await run(['run', tiny, '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mia: Unknown option "--jsn". Did you mean "--json"?\nusage: mia run FILE [options]\nsee: mia run --help\n',
    );
    const plan = await run(['plan']);
    expect(plan).toMatchObject({ code: 2 });
    expect(plan.stderr.split('\n')).toEqual([
      'mia: mia plan takes one .mia file.',
      'usage: mia plan FILE [options]',
      'see: mia plan --help',
      '',
    ]);
    const unknown = await run(['rnu', tiny]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr: 'mia: Unknown command "rnu". Did you mean "run"?\nsee: mia --help\n',
    });
  });
});

describe('--jobs', () => {
  it('refuses a negative or non-numeric count with a clear message, exit 2', async () => {
    for (const v of ['-1', 'x', '0', '1.5', '']) {
      const r = await run(['run', tiny, '--jobs', v]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--jobs takes a whole number of at least 1, not "${v}".`);
    }
    expect((await run(['run', tiny, '--jobs=-3'])).stderr).toContain('not "-3"');
  });

  it('caps the count at the number of cores, with a warning', async () => {
    const warnings: string[] = [];
    expect(capJobs(1000, (s) => warnings.push(s), 2)).toBe(2);
    expect(warnings).toEqual(['mia: --jobs 1000 is more than the 2 cores here; using 2.\n']);
    expect(capJobs(2, (s) => warnings.push(s), 4)).toBe(2);
    expect(capJobs(1, (s) => warnings.push(s), 1)).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(parseJobs(undefined, 3)).toBe(3);
    // Through the CLI: the warning comes first (here the missing spec then ends the command).
    const r = await run(['run', join(root, 'no-such.mia'), '--jobs', '1000']);
    const cores = availableParallelism();
    expect(r.stderr.split('\n')[0]).toBe(
      `mia: --jobs 1000 is more than the ${cores} core${cores === 1 ? '' : 's'} here; using ${cores}.`,
    );
    expect(r.code).toBe(2);
  });
});

describe('special files and kernel file systems', () => {
  it('refuses /dev/zero, a FIFO and a /proc file as a spec (exit 2) without reading them', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.mia');
    const made = await runAsync('mkfifo', [fifo]);
    const cases: [string, string][] = [
      ['/dev/zero', '/dev/zero is a character device, not a regular file; give a .mia file.'],
      ['/proc/self/status', '/proc/self/status is a kernel interface under /proc, not a file; give a .mia file.'],
    ];
    if (made.code === 0) cases.push([fifo, `${fifo} is a named pipe, not a regular file; give a .mia file.`]);
    for (const [file, message] of cases) {
      for (const args of [
        ['check', file],
        ['fmt', file],
        ['run', file],
        ['plan', file],
      ]) {
        const r = await run(args);
        expect(r.code).toBe(2);
        // check reports an unreadable file in its place among the files' results and goes on.
        expect(r.stderr.split('\n')[0]).toBe(args[0] === 'check' ? `${file}: ${message}` : `mia: ${message}`);
      }
    }
    const signals = await run(['attack', '--signals', '/dev/zero']);
    expect(signals.code).toBe(2);
    expect(signals.stderr).toContain('/dev/zero is a character device, not a regular file; give a signals file.');
  });

  it('refuses an --out or --cache under /proc before any work, exit 1', async () => {
    const out = await run(['run', tiny, '--out', '/proc/mia-test/out', '--backend', 'wasm']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'The output folder /proc/mia-test/out is under /proc, a kernel interface, not storage. Give --out a folder on a disk.',
    );
    expect(out.stderr).not.toContain('jobs on the');
    const dir = tempDir();
    const cache = await run(['run', tiny, '--out', join(dir, 'o'), '--cache', '/proc/self/mia-cache']);
    expect(cache.code).toBe(1);
    expect(cache.stderr).toContain('The cache folder /proc/self/mia-cache is under /proc');
    expect(readdirSync(join(dir, 'o'))).toEqual([]); // no probe left, no results
  });

  it('refuses an --out or --cache that is a file or lies under one, leaving nothing behind', async () => {
    const dir = tempDir();
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    const r = await run(['run', tiny, '--out', file]);
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toContain(`The output folder ${file} is a file. Give --out a folder.`);
    const under = await run(['run', tiny, '--out', join(dir, 'o'), '--cache', join(file, 'c')]);
    expect(under.code).toBe(1);
    expect(under.stderr).toContain(`The cache folder ${join(file, 'c')} cannot be made: ${file} is a file.`);
    mkdirSync(join(dir, 'deep'));
    expect((await run(['run', tiny, '--out', join(dir, 'deep', 'a', 'b'), '--cache', file])).code).toBe(1);
    expect(readdirSync(join(dir, 'deep', 'a', 'b'))).toEqual([]);
  });

  it('ends promptly in a real process (a recursive mkdir under /proc would spin forever)', async () => {
    const r = await mia(['run', tiny, '--out', '/proc/mia-test', '--cache', '/proc/x'], { timeout: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('under /proc');
    const zero = await mia(['check', '/dev/zero'], { timeout: 60_000 });
    expect(zero.code).toBe(2);
  });
});
