/**
 * `mia lsp`: a language server over stdio. Each open document is checked as the user types (debounced),
 * with its imports read from the editor where they are open; documents that import a changed file are
 * checked again. Every handler is guarded: a failure is logged to the client and answered with nothing,
 * so no document, however broken, stops the server.
 */
import type { Readable, Writable } from 'node:stream';
import {
  type Connection,
  createConnection,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze, definition, editorHost, pathOf, quickFixes } from './analysis.js';
import { complete, format, hover } from './features.js';

/** How long the server waits after a keystroke before checking (ms). */
export const DEBOUNCE_MS = 200;

/** What the handlers share: the documents, their last analyses, the pending checks, the import host. */
interface State {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: Map<string, Analysis>;
  timers: Map<string, NodeJS.Timeout>;
  host: ReturnType<typeof editorHost>;
  guard: <A extends unknown[], R>(what: string, fallback: R, f: (...a: A) => R) => (...a: A) => R;
}

export function startServer(input: Readable, output: Writable): Connection {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const openText = (file: string): string | undefined =>
    documents
      .all()
      .find((d) => pathOf(d.uri) === file)
      ?.getText();
  const guard: State['guard'] =
    (what, fallback, f) =>
    (...a) => {
      try {
        return f(...a);
      } catch (e) {
        connection.console.error(`mia lsp: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return fallback;
      }
    };
  const state: State = {
    connection,
    documents,
    analyses: new Map(),
    timers: new Map(),
    host: editorHost(openText),
    guard,
  };
  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', '[', '(', ':', ',', '{', ' '] },
      definitionProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
    },
    serverInfo: { name: 'mia' },
  }));
  checkAsTyped(state);
  answerRequests(state);
  documents.listen(connection);
  connection.listen();
  return connection;
}

/** Each change checks its document after DEBOUNCE_MS of quiet, and the open documents that import it. */
function checkAsTyped(s: State): void {
  const { connection, documents, analyses, timers, guard } = s;
  const run = guard('checking', undefined, (uri: string): void => {
    timers.delete(uri);
    const doc = documents.get(uri);
    if (!doc) return;
    const a = analyze(uri, doc.getText(), s.host);
    analyses.set(uri, a);
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: a.diagnostics });
  });
  const schedule = (uri: string): void => {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => run(uri), DEBOUNCE_MS),
    );
  };
  documents.onDidChangeContent(
    guard('a change', undefined, ({ document }) => {
      schedule(document.uri);
      const file = pathOf(document.uri);
      for (const [uri, a] of analyses) if (uri !== document.uri && a.files.has(file)) schedule(uri);
    }),
  );
  documents.onDidClose(
    guard('closing', undefined, ({ document }) => {
      clearTimeout(timers.get(document.uri));
      timers.delete(document.uri);
      analyses.delete(document.uri);
      void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    }),
  );
  connection.onShutdown(() => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  });
}

/** Hover, completion, definition, formatting and quick fixes, each on the document's latest text. */
function answerRequests(s: State): void {
  const { connection, documents, guard } = s;
  const analysisOf = (doc: TextDocument): Analysis =>
    s.analyses.get(doc.uri) ?? analyze(doc.uri, doc.getText(), s.host);
  connection.onHover(
    guard('hover', null, (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? hover(doc, doc.offsetAt(p.position), analysisOf(doc).declared) : null;
    }),
  );
  connection.onCompletion(
    guard('completion', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? complete(doc, doc.offsetAt(p.position), analysisOf(doc).declared) : [];
    }),
  );
  connection.onDefinition(
    guard('go to definition', null, (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? definition(analysisOf(doc), doc.getText(), doc.offsetAt(p.position), s.host.read) : null;
    }),
  );
  connection.onDocumentFormatting(
    guard('formatting', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? format(doc) : [];
    }),
  );
  connection.onCodeAction(
    guard('quick fixes', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? quickFixes(doc.uri, doc, p.context.diagnostics) : [];
    }),
  );
}
