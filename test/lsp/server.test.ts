/**
 * `mia lsp` driven as an editor drives it: the built CLI spawned, JSON-RPC over its stdin and stdout. A spec
 * with an error gets the checker's diagnostic at the error's range (its import read and resolved); hover,
 * completion, go to definition across the import, the quick fix and formatting answer; an edit that fixes
 * the error clears it; a hostile document gets its diagnostics without stopping the server; shutdown and
 * exit end the process with 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node.js';
import { parse, print } from '../../src/lang/index.js';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'mia-lsp-'));
const common = join(dir, 'common.mia');
const spec = join(dir, 'spec.mia');
const uri = pathToFileURL(spec).href;
const commonUri = pathToFileURL(common).href;

const COMMON = `dataset digits = mnist
model mlp { layers [dense(16, relu), dense(classes, softmax)], train { epochs: 2 } }
`;
const SPEC = `experiment e { seed 1 }
import "common.mia"
target victim { model mlp, members digits.take(100), nonmembers digits.take(100) }
shadows refs { model mlp, count 2, pool digits.rest, size 100 }
attack loss = threshold { signl: loss }
attack shokri = shadow_model { shadows: refs,  }
report { metrics [auc] }
`;

interface Published {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    code?: string;
    message: string;
    data?: unknown;
  }[];
}

let server: ChildProcess;
let rpc: MessageConnection;
const published: Published[] = [];
const waiters: (() => void)[] = [];

/** The first diagnostics published for `u` (at `version` or later) that `ok` accepts. */
async function diagnosticsFor(
  u: string,
  version: number,
  ok: (p: Published) => boolean = () => true,
): Promise<Published> {
  for (;;) {
    const p = published.find((x) => x.uri === u && (x.version ?? 0) >= version && ok(x));
    if (p) return p;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

const at = (text: string, needle: string, plus = 0): { line: number; character: number } => {
  const i = text.indexOf(needle) + plus;
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before.at(-1)!.length };
};

beforeAll(async () => {
  writeFileSync(common, COMMON);
  writeFileSync(spec, SPEC);
  server = spawn(process.execPath, [join(root, 'bin', 'mia.js'), 'lsp', '--stdio'], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  rpc = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  rpc.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  rpc.listen();
  const init = await rpc.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
  });
  expect(init).toMatchObject({ capabilities: { hoverProvider: true, documentFormattingProvider: true } });
  await rpc.sendNotification('initialized', {});
  await rpc.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'mia', version: 1, text: SPEC },
  });
}, 60_000);

afterAll(() => {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('mia lsp', () => {
  it("publishes the checker's diagnostic at the range of the error, with its code and a quick fix", async () => {
    const p = await diagnosticsFor(uri, 1);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['E101']);
    const d = p.diagnostics[0]!;
    expect(d.range).toEqual({ start: at(SPEC, 'signl'), end: at(SPEC, 'signl', 5) });
    expect(d.message).toContain('Did you mean "signal"?');
    expect(d.message).toContain('The settings of the threshold attack "loss" are: signal, calibration, shadows.');
    const actions = (await rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    })) as { kind: string; edit: { changes: Record<string, { range: unknown; newText: string }[]> } }[];
    expect(actions).toHaveLength(1);
    expect(actions[0]!.kind).toBe('quickfix');
    expect(actions[0]!.edit.changes[uri]).toEqual([{ range: d.range, newText: 'signal' }]);
  });

  it('shows a kind and a setting from the descriptors on hover', async () => {
    const kind = (await rpc.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: at(SPEC, 'threshold', 2),
    })) as {
      contents: { value: string };
    };
    expect(kind.contents.value).toContain('**threshold**');
    expect(kind.contents.value).toContain('`signal`: loss | confidence | entropy | modified_entropy; default loss.');
    const setting = (await rpc.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: at(SPEC, 'count 2', 1),
    })) as {
      contents: { value: string };
    };
    expect(setting.contents.value).toContain('**count** — setting of shadows');
  });

  it('completes settings, declared names and kinds', async () => {
    const labels = async (position: { line: number; character: number }): Promise<string[]> =>
      (
        (await rpc.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as { label: string }[]
      ).map((c) => c.label);
    expect(await labels(at(SPEC, 'refs,  }', 6))).toEqual([
      'shadows',
      'per_class',
      'classifier',
      'features',
      'standardize',
    ]);
    expect(await labels(at(SPEC, 'shadows: refs,', 9))).toEqual(['refs']);
    expect(await labels(at(SPEC, 'model mlp, count', 6))).toEqual(['mlp']);
    expect(await labels(at(SPEC, 'pool digits', 5))).toEqual(['digits']);
    expect(await labels(at(SPEC, 'digits.rest', 7))).toContain('take');
    expect(await labels(at(SPEC, '[auc]', 1))).toContain('balanced_accuracy');
  });

  it('goes to a definition in the imported file', async () => {
    const loc = await rpc.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: at(SPEC, 'model mlp', 7),
    });
    expect(loc).toEqual({ uri: commonUri, range: { start: at(COMMON, 'mlp'), end: at(COMMON, 'mlp', 3) } });
  });

  it('formats through the printer, and an edit that fixes the error clears it', async () => {
    const edits = (await rpc.sendRequest('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    })) as { newText: string }[];
    expect(edits.map((e) => e.newText)).toEqual([print(parse(SPEC).value)]);
    const start = at(SPEC, 'signl');
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start, end: at(SPEC, 'signl', 5) }, text: 'signal' }],
    });
    const p = await diagnosticsFor(uri, 2);
    expect(p.diagnostics).toEqual([]);
  });

  it('survives a hostile document and answers after it', async () => {
    const hostile = pathToFileURL(join(dir, 'hostile.mia')).href;
    const text = `model m { layers ${'['.repeat(5000)} }\n"\u0000\u202e /* ${'x{'.repeat(2000)}`;
    await rpc.sendNotification('textDocument/didOpen', {
      textDocument: { uri: hostile, languageId: 'mia', version: 1, text },
    });
    const p = await diagnosticsFor(hostile, 1);
    expect(p.diagnostics.map((d) => d.code)).toContain('E004');
    for (const character of [0, 20, 5000])
      await rpc.sendRequest('textDocument/hover', { textDocument: { uri: hostile }, position: { line: 0, character } });
    await rpc.sendRequest('textDocument/completion', {
      textDocument: { uri: hostile },
      position: { line: 1, character: 3 },
    });
    expect(await rpc.sendRequest('textDocument/formatting', { textDocument: { uri: hostile }, options: {} })).toEqual(
      [],
    );
  });

  it('ends with 0 on shutdown and exit', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    await rpc.sendRequest('shutdown');
    await rpc.sendNotification('exit');
    expect(await exited).toBe(0);
  });
});
