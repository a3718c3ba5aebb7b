import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'mia.js');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node <cmd> args` without blocking the test worker's event loop (a blocked loop makes vitest time out). */
export function runAsync(cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The CLI in a child process, asynchronously. */
export const mia = (args: string[], opts: { cwd?: string; timeout?: number } = {}): Promise<Ran> =>
  runAsync(process.execPath, [bin, ...args], opts);

/** The former name of `mia`. */
export const miaAsync = mia;

export const tempDir = (prefix = 'mia-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/**
 * results.json's text without `provenance.invocation` (the command line and git revision, which differ
 * between invocations by design): what must be byte-identical for the same spec, seed and backend.
 */
export function withoutInvocation(text: string): string {
  const r = JSON.parse(text) as { provenance?: { invocation?: unknown } };
  if (r.provenance) delete r.provenance.invocation;
  return JSON.stringify(r);
}
