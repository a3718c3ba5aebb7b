/** `--plugin FILE` imports only a regular file within a size limit: /dev/zero, a FIFO or a folder is refused by stat. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugins, PluginError } from '../../src/run/plugins.js';
import { runMain } from '../cli/in-process.js';
import { root, tempDir } from '../e2e/helpers.js';

async function refusal(paths: string[]): Promise<string> {
  try {
    await loadPlugins(paths);
  } catch (e) {
    expect(e).toBeInstanceOf(PluginError);
    return (e as Error).message;
  }
  throw new Error('expected a PluginError');
}

describe('plugin files', () => {
  it('refuses /dev/zero, a FIFO and a folder as a plugin, naming it, without reading it', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'plugin.js');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(await refusal(['/dev/zero'])).toBe(
      'The plugin /dev/zero: This is a character device, not a regular file; mia reads a plugin only from a regular file. Give --plugin a JavaScript module file.',
    );
    expect(await refusal([fifo])).toMatch(/plugin\.js: This is a named pipe, not a regular file/);
    expect(await refusal([dir])).toMatch(/This is a folder/);
  });

  it('mia run --plugin /dev/zero ends with one line and exit 1', async () => {
    const r = await runMain(['run', join(root, 'test', 'fixtures', 'tiny.mia'), '--plugin', '/dev/zero', '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('/dev/zero: This is a character device');
  });
});
