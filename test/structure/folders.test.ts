/**
 * The folder graph of src/, from every import: value and type imports, re-exports, `import('…')` types
 * and dynamic imports, read with the TypeScript compiler. It must follow src/layers.ts: no import of a
 * folder on a higher rung, no cycle between folders, and every folder placed on a rung.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/layers.js';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');

/** One import from one file of src/ to another: the folders and where it is written. */
interface FolderEdge {
  from: string;
  to: string;
  where: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The top folder of src/ a file is in ('.' for src/ itself). */
const folderOf = (file: string): string => {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0]! : '.';
};

/** The module specifier a node names, if it is an import, re-export, import type or dynamic import. */
function specifierOf(node: ts.Node): string | null {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
    return ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : null;
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
    return ts.isStringLiteral(node.moduleReference.expression) ? node.moduleReference.expression.text : null;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const arg = node.arguments[0];
    return arg && ts.isStringLiteralLike(arg) ? arg.text : null;
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
    return node.argument.literal.text;
  return null;
}

/** Every import between two folders of src/, found in `files` (paths under src/, with their text). */
function folderEdges(files: readonly { path: string; text: string }[]): FolderEdge[] {
  const edges: FolderEdge[] = [];
  for (const { path, text } of files) {
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const visit = (node: ts.Node): void => {
      const spec = specifierOf(node);
      if (spec?.startsWith('.')) {
        const target = resolve(dirname(path), spec);
        const from = folderOf(path);
        const to = target.startsWith(SRC + sep) ? folderOf(target) : null;
        const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (to === null) edges.push({ from, to: '(outside src)', where: `${relative(SRC, path)}:${line} ${spec}` });
        else if (to !== from) edges.push({ from, to, where: `${relative(SRC, path)}:${line} ${spec}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return edges;
}

/** The edges against the layer order: to a higher rung, out of src/, or from or to a folder on no rung. */
function upwardEdges(edges: readonly FolderEdge[], layers: readonly (readonly string[])[]): FolderEdge[] {
  const rung = new Map(layers.flatMap((r, i) => r.map((f) => [f, i] as const)));
  return edges.filter((e) => {
    const a = rung.get(e.from);
    const b = rung.get(e.to);
    return a === undefined || b === undefined || b > a;
  });
}

/** The folders on a cycle of the graph (strongly connected components of more than one folder). */
function folderCycles(edges: readonly FolderEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  const nodes = new Set([...next.keys(), ...edges.map((e) => e.to)]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) connect(w);
      if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) connect(v);
  return components;
}

const files = sourceFiles(SRC).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const edges = folderEdges(files);

describe('the folders of src/ follow src/layers.ts', () => {
  it('every folder of src/ is on exactly one rung', () => {
    const placed = LAYERS.flat();
    expect(new Set(placed).size).toBe(placed.length);
    const folders = [...new Set(files.map((f) => folderOf(f.path)))].sort();
    expect(folders.filter((f) => !placed.includes(f))).toEqual([]);
  });

  it('no folder imports one on a higher rung (type imports, re-exports and dynamic imports included)', () => {
    expect(edges.length).toBeGreaterThan(100);
    expect(upwardEdges(edges, LAYERS).map((e) => `${e.from} -> ${e.to}: ${e.where}`)).toEqual([]);
  });

  it('no cycle between folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it("the README's architecture section lists the same rungs", () => {
    const readme = readFileSync(join(SRC, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Architecture'));
    const block = section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
    const rungs = block
      .split('\n')
      .filter((l) => l.startsWith('src/'))
      .map((l) => [...l.matchAll(/(?:src\/)?([a-z]+)\/(?= |$)/g)].map((m) => m[1]));
    expect(rungs).toEqual(LAYERS.filter((r) => r[0] !== '.'));
  });
});

describe('the check itself', () => {
  const at = (folder: string, name: string): string => join(SRC, folder, name);
  const layers = [['lang'], ['kinds'], ['util', 'data'], ['check']];

  it('sees type imports, re-exports, import() types and dynamic imports', () => {
    const found = folderEdges([
      { path: at('kinds', 'a.ts'), text: "import type { X } from '../check/x.js';" },
      { path: at('util', 'b.ts'), text: "export { y } from '../check/y.js';" },
      { path: at('data', 'c.ts'), text: "let z: import('../check/z.js').Z;" },
      { path: at('lang', 'd.ts'), text: "const m = () => import('../data/m.js');" },
      { path: at('lang', 'e.ts'), text: "import { ok } from './same.js';" },
    ]);
    expect(found.map((e) => `${e.from}>${e.to}`)).toEqual(['kinds>check', 'util>check', 'data>check', 'lang>data']);
    expect(upwardEdges(found, layers)).toHaveLength(4);
  });

  it('allows imports downwards and within a rung, and finds a cycle within a rung', () => {
    const found = folderEdges([
      { path: at('check', 'a.ts'), text: "import { a } from '../lang/a.js';" },
      { path: at('data', 'b.ts'), text: "import { b } from '../util/b.js';" },
      { path: at('util', 'c.ts'), text: "import type { C } from '../data/c.js';" },
    ]);
    expect(upwardEdges(found, layers)).toEqual([]);
    expect(folderCycles(found)).toEqual([['data', 'util']]);
  });

  it('flags a folder on no rung', () => {
    const found = folderEdges([{ path: at('extra', 'a.ts'), text: "import { a } from '../lang/a.js';" }]);
    expect(upwardEdges(found, layers).map((e) => e.from)).toEqual(['extra']);
  });
});
