/** `mia lsp`: the language server for editors, over stdio (src/cli/lsp/); it runs until the client says exit. */
import { defineCommand } from './command.js';
import { UsageError } from './errors.js';
import { pluginOption } from './options.js';
import { loadPluginsOrExplain } from './plugins.js';

export const lspCli = defineCommand({
  name: 'lsp',
  summary: 'a language server for editors (diagnostics, hover, completion, formatting), over stdio',
  usage: '[options]',
  details: 'Editors start it and talk JSON-RPC on its stdin and stdout; see the README for VS Code, Neovim and Helix.',
  options: {
    stdio: { type: 'boolean', default: true, help: 'talk over stdin and stdout (the only transport; clients pass it)' },
    ...pluginOption,
  },
  run: async ({ values: v, positionals }, io) => {
    if (positionals.length) throw new UsageError('mia lsp takes no files: the editor sends them.');
    await loadPluginsOrExplain(v.plugin);
    if (process.stdin.isTTY)
      io.err('mia lsp: a language server; an editor starts it and talks JSON-RPC on stdin (Ctrl-D ends it).\n');
    // The server ends the process itself: on the client's exit (0 after a shutdown, else 1), or when stdin closes.
    // Loaded here, so that the other commands do not load the protocol library.
    const { startServer } = await import('./lsp/server.js');
    startServer(process.stdin, process.stdout);
    return new Promise<number>(() => {});
  },
});
