import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, root, tempDir } from './helpers.js';

/** Runs the CLI, reads its first chunk of output and closes the pipe, as `mia fmt big.mia | head -1` does. */
function readFirstChunkThenClose(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, first, stderr });
    });
  });
}

describe('a reader that closes the pipe early', () => {
  it('mia fmt of a large file stops quietly with exit code 0, no stack trace', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.mia');
    const lines = Array.from({ length: 40_000 }, (_, i) => `dataset d${i} = mnist`);
    writeFileSync(file, `experiment big { seed 1 }\n${lines.join('\n')}\n`);
    const r = await readFirstChunkThenClose(['fmt', file]);
    expect(r.first).toContain('experiment big');
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  });
});
