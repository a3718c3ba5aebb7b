// npm run build: dist/ from scratch (no stale file from an older build reaches the package), the TypeScript
// compiler with declarations, then the JSON Schemas generated from the zod definitions into dist/schemas/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
const { schemas } = await import(join(dist, 'api', 'schemas.js'));
mkdirSync(join(dist, 'schemas'), { recursive: true });
for (const [name, schema] of Object.entries(schemas()))
  writeFileSync(join(dist, 'schemas', name), `${JSON.stringify(schema, null, 2)}\n`);
