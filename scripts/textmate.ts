/** `npm run textmate`: writes grammar/mia.tmLanguage.json (the extension's syntaxes/ links to it) from the tokens and the kinds (atomically). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/util/atomic.js';
import { grammarJson } from './textmate-grammar.js';

const file = join(import.meta.dirname, '..', 'grammar', 'mia.tmLanguage.json');
let before = '';
try {
  before = readFileSync(file, 'utf8');
} catch {}
const after = grammarJson();
if (after !== before) writeFileAtomic(file, after);
process.stdout.write(after === before ? `${file} is up to date\n` : `wrote ${file}\n`);
