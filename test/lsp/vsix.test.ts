/**
 * The VS Code extension's .vsix, built by editors/vscode/build-vsix.mjs without vsce: a zip Python's zipfile
 * reads and verifies (CRCs), with the manifest, the content types, the extension's files and every runtime
 * dependency where node finds it from extension.js.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mia-vsix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('builds a .vsix that unpacks into a working extension folder', () => {
  const vsix = join(dir, 'mia.vsix');
  execFileSync(process.execPath, [join(root, 'editors', 'vscode', 'build-vsix.mjs'), vsix]);
  const out = join(dir, 'out');
  const listing = execFileSync('/usr/bin/python3', [
    '-c',
    'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nz.extractall(sys.argv[2])\nprint("\\n".join(z.namelist()))',
    vsix,
    out,
  ]).toString();
  const names = listing.trim().split('\n');
  expect(names.slice(0, 2)).toEqual(['extension.vsixmanifest', '[Content_Types].xml']);
  const manifest = readFileSync(join(out, 'extension.vsixmanifest'), 'utf8');
  expect(manifest).toContain('Id="mia-language"');
  expect(manifest).toContain('Path="extension/package.json"');
  for (const f of ['package.json', 'extension.js', 'language-configuration.json', 'syntaxes/mia.tmLanguage.json'])
    expect(readFileSync(join(out, 'extension', f))).toEqual(readFileSync(join(root, 'editors', 'vscode', f)));
  // Every dependency of the client resolves inside the unpacked folder, as VS Code's node would find it.
  const fromExtension = createRequire(join(out, 'extension', 'extension.js'));
  const client = fromExtension.resolve('vscode-languageclient/node');
  expect(client.startsWith(join(out, 'extension', 'node_modules'))).toBe(true);
  const fromClient = createRequire(client);
  for (const dep of ['vscode-languageserver-protocol', 'minimatch', 'semver', 'vscode-jsonrpc']) {
    const p = fromClient.resolve(dep);
    expect(p.startsWith(join(out, 'extension'))).toBe(true);
    expect(existsSync(join(dirname(p)))).toBe(true);
  }
});
