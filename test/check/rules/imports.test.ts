import { describe, expect, it } from 'vitest';
import { BASE, check } from '../helpers.js';

describe('imports (E210, E211)', () => {
  it('reports a cycle with its chain, at the import that closes it', () => {
    const files = { 'a.mia': 'import "b.mia"\n', 'b.mia': 'dataset x = mnist\nimport "a.mia"\n' };
    const ds = check(`import "a.mia"\n${BASE}`, files).filter((d) => d.code === 'E211');
    expect(ds.map((d) => [d.file, d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['b.mia', 'Import cycle: a.mia → b.mia → a.mia.', 2, 8],
    ]);
  });

  it('reports a file that imports itself and a file that cannot be read', () => {
    const ds = check(`import "spec.mia"\nimport "nope.mia"\n${BASE}`);
    expect(ds.map((d) => [d.code, d.message, d.range.start.line])).toEqual([
      ['E211', 'Import cycle: spec.mia → spec.mia.', 1],
      ['E210', 'Cannot read the imported file "nope.mia" (looked for nope.mia).', 2],
    ]);
  });

  it('resolves imports relative to the importing file', () => {
    const files = {
      'lib/a.mia': 'import "../shared/b.mia"\n',
      'shared/b.mia': 'model extra { layers [dense(classes)], train { epochs: 1 } }\n',
    };
    const src = `import "lib/a.mia"\n${BASE.replace('shadows refs { model mlp', 'shadows refs { model extra')}`;
    expect(check(src, files)).toEqual([]);
  });
});
