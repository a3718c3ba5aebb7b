import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const atomic = resolve(__dirname, '../../dist/util/atomic.js');

/**
 * A process whose own SIGINT handler (registered with `once`, as `mia run` does) decides how it ends, with a
 * large atomic write under way when the signal comes (a cache file written in the background). The handler
 * waits for the write to end, then exits 130.
 */
const child = (dir: string) => `
  import { writeFileAtomicAsync } from ${JSON.stringify(atomic)};
  let write;
  process.once('SIGINT', () => write.finally(() => process.exit(130)));
  write = writeFileAtomicAsync(${JSON.stringify(join(dir, 'big.bin'))}, new Uint8Array(8 << 20)).then(
    () => console.log('written'),
    (e) => console.log('stopped: ' + e.message),
  );
  setTimeout(() => process.kill(process.pid, 'SIGINT'), 100);
  setTimeout(() => {}, 20000);
`;

describe('atomic writes under a stop signal', () => {
  it("leave the decision to the process's own handler: it exits as it chose, and the temp file is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mia-atomic-'));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child(dir)], {
      env: { ...process.env, MIA_WRITE_DELAY_MS: '100' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(130);
    expect(r.stdout).toContain('stopped');
    expect(readdirSync(dir)).toEqual([]);
  });
});
