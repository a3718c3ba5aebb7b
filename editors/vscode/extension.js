// The mia extension for VS Code: the language (colours from syntaxes/mia.tmLanguage.json) and a client that
// starts `mia lsp` over stdio for diagnostics, hover, completion, go to definition, formatting and quick fixes.
const { workspace, window } = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = workspace.getConfiguration('mia');
  const command = config.get('server.command') || 'mia';
  const args = ['lsp', ...config.get('server.args', [])];
  const run = { command, args, transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
  client = new LanguageClient(
    'mia',
    'mia',
    { run, debug: run },
    { documentSelector: [{ language: 'mia', scheme: 'file' }, { language: 'mia', scheme: 'untitled' }] },
  );
  return client.start().catch((e) => {
    window.showErrorMessage(`mia: could not start "${command} lsp" (${e?.message ?? e}). Set mia.server.command.`);
  });
}

function deactivate() {
  return client?.stop();
}

module.exports = { activate, deactivate };
