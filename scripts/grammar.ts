/** `npm run grammar`: draws the syntax diagrams of the parser into grammar/diagrams.html (a generated file, not in git). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { miaParser } from '../src/lang/grammar-parser.js';

export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(miaParser.getSerializedGastProductions());
}

const out = join(import.meta.dirname, '..', 'grammar', 'diagrams.html');
writeFileSync(out, diagramsHtml());
process.stdout.write(`wrote ${out}\n`);
