/** `npm run kinds-doc`: rewrites README.md's tables of kinds and settings from the descriptors (atomically). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withKindsSection } from './kinds-readme.js';
import { writeFileAtomic } from '../src/util/atomic.js';

const file = join(import.meta.dirname, '..', 'README.md');
const before = readFileSync(file, 'utf8');
const after = withKindsSection(before);
if (after !== before) writeFileAtomic(file, after);
process.stdout.write(after === before ? `${file} is up to date\n` : `rewrote the kinds section of ${file}\n`);
