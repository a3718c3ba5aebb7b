#!/usr/bin/env node
// Builds the VS Code extension's .vsix (a zip: extension.vsixmanifest, [Content_Types].xml and extension/ with
// this folder's files and the runtime dependencies from node_modules) without vsce.
// Usage: node editors/vscode/build-vsix.mjs [OUT.vsix]   (default: editors/vscode/mia-language-VERSION.vsix)
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const here = import.meta.dirname;
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const out = resolve(process.argv[2] ?? join(here, `${pkg.name}-${pkg.version}.vsix`));
const OWN = ['package.json', 'extension.js', 'language-configuration.json', 'README.md', 'syntaxes/mia.tmLanguage.json'];

/** Every file under `dir`, as paths relative to `base`. */
function walk(dir, base) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p, base) : [relative(base, p)];
  });
}

/** The folder of package `name` as node resolves it from `from` (walking up through node_modules). */
function packageDir(name, from) {
  for (let d = from; ; d = dirname(d)) {
    const p = join(d, 'node_modules', name);
    if (existsSync(join(p, 'package.json'))) return p;
    if (dirname(d) === d) throw new Error(`${name} is not installed (needed by ${from}); run npm install.`);
  }
}

/** Where a package folder goes in the zip: its path from the first node_modules on, as on disk, so node resolves alike. */
const zipPath = (dir) => join('extension', dir.slice(dir.indexOf(`${sep}node_modules${sep}`) + 1));

/** The runtime dependencies of this extension, each package once, with their files (zip path → disk path). */
function dependencies() {
  const files = new Map();
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    for (const f of walk(dir, dir)) if (!f.startsWith('node_modules')) files.set(join(zipPath(dir), f), join(dir, f));
    const deps = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {};
    for (const name of Object.keys(deps)) visit(packageDir(name, dir));
  };
  for (const name of Object.keys(pkg.dependencies ?? {})) visit(packageDir(name, here));
  return files;
}

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const manifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xml(pkg.name)}" Version="${xml(pkg.version)}" Publisher="${xml(pkg.publisher)}" />
    <DisplayName>${xml(pkg.displayName)}</DisplayName>
    <Description xml:space="preserve">${xml(pkg.description)}</Description>
    <Tags>mia,membership inference,privacy</Tags>
    <Categories>${xml(pkg.categories.join(','))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${xml(pkg.engines.vscode)}" />
      <Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;

/** A zip of `entries` (path → bytes), each deflated, with its CRC-32. */
function zip(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [path, data] of entries) {
    const name = Buffer.from(path.split('\\').join('/'), 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(0x0800, 6); // names are UTF-8
    head.writeUInt16LE(8, 8); // deflate
    head.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00: the same bytes for the same files
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    head.copy(dir, 8, 6, 30); // flags, method, time, crc, sizes, name length
    dir.writeUInt32LE(offset, 42);
    locals.push(head, name, packed);
    central.push(dir, name);
    offset += head.length + name.length + packed.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

const files = new Map(OWN.filter((f) => existsSync(join(here, f))).map((f) => [join('extension', f), join(here, f)]));
for (const [z, p] of dependencies()) files.set(z, p);
const types = [...new Set([...files.keys()].map((f) => f.split('.').pop().toLowerCase()))].sort();
const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".vsixmanifest" ContentType="text/xml" />${types
  .map((t) => `<Default Extension=".${xml(t)}" ContentType="${t === 'json' ? 'application/json' : t === 'js' ? 'application/javascript' : 'application/octet-stream'}" />`)
  .join('')}</Types>
`;
const entries = [
  ['extension.vsixmanifest', Buffer.from(manifest)],
  ['[Content_Types].xml', Buffer.from(contentTypes)],
  ...[...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([z, p]) => [z, readFileSync(p)]),
];
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, zip(entries));
renameSync(tmp, out);
process.stdout.write(`${out}: ${entries.length} files\n`);
