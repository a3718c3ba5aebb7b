/** E201: a name is declared once, over the file and its imports (one namespace for all declarations). */
import type { Rule } from './rule.js';

export const uniqueNames: Rule = {
  name: 'unique-names',
  codes: ['E201'],
  run(ctx) {
    const seen = new Map<string, { kind: string; file: string; line: number }>();
    for (const { item, file } of ctx.items) {
      if (!('name' in item) || item.kind === 'experiment' || item.name === '') continue;
      const prev = seen.get(item.name);
      if (!prev) {
        seen.set(item.name, { kind: item.kind, file, line: item.nameRange.start.line });
        continue;
      }
      const where = prev.file === file ? `line ${prev.line}` : `${prev.file}:${prev.line}`;
      ctx.error(
        'E201',
        `The name "${item.name}" is declared twice: ${prev.kind === item.kind ? `another ${item.kind}` : `a ${prev.kind}`} "${item.name}" is declared at ${where}.`,
        { file, range: item.nameRange },
        'Rename one of them.',
      );
    }
  },
};
