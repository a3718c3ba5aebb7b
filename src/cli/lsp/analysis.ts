/**
 * Checking an open document as `mia check` does (parse, imports, checker), with its imports read from the
 * editor's unsaved text where they are open, and the results in the protocol's terms: diagnostics with
 * ranges, codes and hints (an imported file's shown at the import that brings it in), quick fixes for
 * "did you mean", the names declared (for completion and go to definition).
 */
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  type Location,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { check, loadImports, type Module, type ModuleHost } from '../../check/index.js';
import { type Diagnostic, type Item, parse } from '../../lang/index.js';
import { editDistance } from '../../util/suggest.js';
import { readUserFile } from '../../util/user-file.js';
import type { Declared } from './features.js';
import { lex } from './place.js';

/** The largest text checked (as `mia check` reads at most 16 MB). */
export const TEXT_LIMIT = 16 * 1024 ** 2;

export interface Analysis {
  diagnostics: LspDiagnostic[];
  declared: Declared[];
  /** The files this document's check read (its imports), to check it again when one of them changes. */
  files: Set<string>;
  /** Each import's path string in the document, by offset, with the file it names. */
  imports: { start: number; end: number; file: string }[];
}

export const pathOf = (uri: string): string => {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return resolve(process.cwd(), uri.replace(/^[a-z]+:/i, '').replace(/[/\\]/g, '_') || 'untitled.mia');
};

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** Imports resolve relative to the importing file; an open document's text wins over the disk's. */
export function editorHost(open: (file: string) => string | undefined): ModuleHost {
  return {
    resolve: (from, spec) => resolve(dirname(from), spec),
    read: (file) => {
      const text = open(file);
      if (text !== undefined) return text;
      try {
        return readUserFile(file, { what: 'spec', limit: TEXT_LIMIT }).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

const DECLARING = new Set<Item['kind']>(['dataset', 'model', 'target', 'shadows', 'attack', 'defense']);

function declaredIn(file: string, text: string, items: readonly Item[]): Declared[] {
  const out: Declared[] = [];
  for (const it of items) {
    if (!DECLARING.has(it.kind) || !('name' in it) || it.name === '') continue;
    const line = text.slice(it.range.start.offset, it.range.end.offset).split('\n')[0]!.slice(0, 120);
    out.push({
      name: it.name,
      kind: it.kind,
      uri: uriOf(file),
      start: it.nameRange.start.offset,
      end: it.nameRange.end.offset,
      line,
    });
  }
  return out;
}

/** The files each module imports, directly or not. */
function closures(modules: readonly Module[], host: ModuleHost): Map<string, Set<string>> {
  const byFile = new Map(modules.map((m) => [m.file, m]));
  const memo = new Map<string, Set<string>>();
  const reach = (file: string): Set<string> => {
    const known = memo.get(file);
    if (known) return known;
    const out = new Set<string>([file]);
    memo.set(file, out);
    for (const it of byFile.get(file)?.ast.items ?? [])
      if (it.kind === 'import' && !it.recovered) for (const f of reach(host.resolve(file, it.path))) out.add(f);
    return out;
  };
  for (const m of modules) reach(m.file);
  return memo;
}

/** Checks the document's text; never throws on any text (the parser and checker are total). */
export function analyze(uri: string, text: string, host: ModuleHost): Analysis {
  const file = pathOf(uri);
  const doc = TextDocument.create(uri, 'mia', 0, text);
  if (text.length > TEXT_LIMIT) {
    const d: LspDiagnostic = {
      range: { start: doc.positionAt(0), end: doc.positionAt(0) },
      severity: DiagnosticSeverity.Error,
      source: 'mia',
      message: 'This file is larger than 16 MB; mia reads specs of at most 16 MB.',
    };
    return { diagnostics: [d], declared: [], files: new Set(), imports: [] };
  }
  const parsed = parse(text, file);
  const imported = loadImports({ file, source: text, ast: parsed.value }, host);
  const checked = check(parsed.value, file, imported.modules);
  const all = [...parsed.diagnostics, ...imported.diagnostics, ...checked.diagnostics];
  const imports = parsed.value.items.flatMap((it) =>
    it.kind === 'import' && !it.recovered
      ? [{ start: it.pathRange.start.offset, end: it.pathRange.end.offset, file: host.resolve(file, it.path) }]
      : [],
  );
  const reach = closures(imported.modules, host);
  const sources = new Map(imported.modules.map((m) => [m.file, m.source]));
  const diagnostics = all.flatMap((d) => {
    if (d.file === file) return [toLsp(d, doc)];
    const via = imports.find((i) => reach.get(i.file)?.has(d.file));
    return via ? [lifted(d, doc, via, sources.get(d.file) ?? '', file)] : [];
  });
  const declared = [
    ...declaredIn(file, text, parsed.value.items),
    ...imported.modules.flatMap((m) => declaredIn(m.file, m.source, m.ast.items)),
  ];
  return { diagnostics, declared, files: new Set(imported.modules.map((m) => m.file)), imports };
}

const severity = (d: Diagnostic): DiagnosticSeverity =>
  d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;

function toLsp(d: Diagnostic, doc: TextDocument): LspDiagnostic {
  const range = { start: doc.positionAt(d.range.start.offset), end: doc.positionAt(d.range.end.offset) };
  const fix = didYouMeanFix(d, doc.getText());
  return {
    range,
    severity: severity(d),
    code: d.code,
    source: 'mia',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(fix ? { data: { fix } } : {}),
  };
}

/** A diagnostic in an imported file, shown at the import that brings that file in. */
function lifted(
  d: Diagnostic,
  doc: TextDocument,
  via: { start: number; end: number },
  source: string,
  main: string,
): LspDiagnostic {
  const other = TextDocument.create(uriOf(d.file), 'mia', 0, source);
  const where = `${relative(dirname(main), d.file)}:${d.range.start.line}:${d.range.start.column}`;
  const location: Location = {
    uri: other.uri,
    range: { start: other.positionAt(d.range.start.offset), end: other.positionAt(d.range.end.offset) },
  };
  return {
    range: { start: doc.positionAt(via.start), end: doc.positionAt(via.end) },
    severity: severity(d),
    code: d.code,
    source: 'mia',
    message: `In ${where}: ${d.message}${d.hint ? `\n${d.hint}` : ''}`,
    relatedInformation: [{ location, message: d.message }],
  };
}

/** A quick fix's edit, by offsets in the text checked, with the text it replaces (checked again before it applies). */
export interface Fix {
  start: number;
  end: number;
  old: string;
  newText: string;
}

/**
 * The edit a "Did you mean "X"?" asks for: the name the message quotes that is written in the diagnostic's
 * range (the one nearest X), replaced by X. None when the message suggests nothing or no such name is there.
 */
export function didYouMeanFix(d: Diagnostic, text: string): Fix | null {
  const m = /Did you mean "([^"]+)"\?/.exec(d.message);
  if (!m) return null;
  const good = m[1]!;
  const quoted = [...d.message.slice(0, m.index).matchAll(/"([A-Za-z_][A-Za-z0-9_]*)/g)].map((q) => q[1]!);
  const from = d.range.start.offset;
  const words = lex(text.slice(from, d.range.end.offset)).filter((t) => quoted.includes(t.image));
  let best: { start: number; end: number; d: number } | null = null;
  for (const w of words) {
    const dist = editDistance(w.image, good);
    if (!best || dist < best.d)
      best = { start: from + w.startOffset, end: from + (w.endOffset ?? w.startOffset) + 1, d: dist };
  }
  return best ? { start: best.start, end: best.end, old: text.slice(best.start, best.end), newText: good } : null;
}

/** The quick fixes of the diagnostics the editor sends back (each carries its edit in `data`). */
export function quickFixes(uri: string, doc: TextDocument, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  return diagnostics.flatMap((d) => {
    const fix = (d.data as { fix?: Partial<Fix> } | undefined)?.fix;
    if (typeof fix?.start !== 'number' || typeof fix.end !== 'number' || typeof fix.newText !== 'string') return [];
    const range = { start: doc.positionAt(fix.start), end: doc.positionAt(fix.end) };
    // The text has changed since the check when the misspelt name is no longer there: no fix rather than a wrong one.
    if (doc.getText(range) !== fix.old) return [];
    return [
      {
        title: `Change to "${fix.newText}"`,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [d],
        edit: { changes: { [uri]: [{ range, newText: fix.newText }] } },
      },
    ];
  });
}

/** Where the name or import path at `offset` is declared. */
export function definition(
  a: Analysis,
  text: string,
  offset: number,
  read: (file: string) => string | undefined,
): Location | null {
  const imp = a.imports.find((i) => i.start <= offset && offset <= i.end);
  if (imp) return { uri: uriOf(imp.file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const t = lex(text).find((x) => x.startOffset <= offset && offset <= (x.endOffset ?? x.startOffset) + 1);
  if (!t || !/^[A-Za-z_]/.test(t.image)) return null;
  const d = a.declared.find((x) => x.name === t.image);
  if (!d) return null;
  const source = read(pathOf(d.uri)) ?? '';
  const other = TextDocument.create(d.uri, 'mia', 0, source);
  return { uri: d.uri, range: { start: other.positionAt(d.start), end: other.positionAt(d.end) } };
}
