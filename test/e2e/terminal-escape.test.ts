/**
 * Terminal escape injection: text from a CSV cell, a spec, an API's answer or a results.json reaches the
 * terminal with its control characters escaped (`\u001b`), in every view: plain lines, JSON lines, error
 * messages, code frames, and the Ink view in a real terminal (tmux), which an API must not be able to clear.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, mia, tempDir } from './helpers.js';

/** What a terminal acts on instead of drawing: C0 but newline, DEL, C1, bidi overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const FAKE = '\x1b[2J\x1b[H\x1b[32mYOUR MODEL IS SAFE\x1b[0m\u009b2J\u202eevil\x07\r';
const SHOWN = '\\u001b[2J\\u001b[H\\u001b[32mYOUR MODEL IS SAFE\\u001b[0m\\u009b2J\\u202eevil\\u0007\\r';

const dir = tempDir('mia-terminal-');
const csv = (cell: string): string =>
  ['a,b,label', ...Array.from({ length: 40 }, (_, i) => `${i},${(i * 3) % 7},${i % 2}`), `41,${cell},1`, ''].join('\n');
const MODEL =
  'model m { layers [dense(4, relu), dense(classes, softmax)], train { optimizer: adam(0.01), epochs: 1, batch: 8 } }';
const spec = (target: string, data = 'dataset d = csv("d.csv") { label: "label" }') =>
  `experiment t { seed 1 }\n${data}\n${MODEL}\n${target}\nattack loss = threshold { signal: loss }\n`;

let server: Server;
let url = '';
let requests = 0;
beforeAll(async () => {
  writeFileSync(join(dir, 'd.csv'), csv('3'));
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`${FAKE}\n\n${FAKE}`);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/predict`;
  writeFileSync(
    join(dir, 'remote.mia'),
    spec(
      `target api = remote { url: "${url}", output: probabilities, budget: 1000, members: d.take(10), nonmembers: d.take(10) }`,
    ),
  );
});
afterAll(() => server?.close());

const noRaw = (r: { stdout: string; stderr: string }): void => {
  expect(r.stdout).not.toMatch(RAW);
  expect(r.stderr).not.toMatch(RAW);
};

describe('control characters from untrusted text reach the terminal escaped', () => {
  it('a CSV cell in an error message', async () => {
    const d = join(dir, 'csv');
    mkdirSync(d);
    writeFileSync(join(d, 'd.csv'), csv(FAKE.replace(/\r/, '')));
    writeFileSync(
      join(d, 'c.mia'),
      spec(
        'target v { model m, members d.take(10), nonmembers d.take(10) }',
        'dataset d = csv("d.csv") { label: "label", categorical: ["a"] }',
      ),
    );
    for (const view of [[], ['--json']]) {
      // C0 controls in a cell are refused by the CSV reader, which names the character, not the cell
      const r = await mia(['run', join(d, 'c.mia'), '--out', join(d, 'out'), '--no-cache', ...view]);
      expect(r.code).toBe(1);
      noRaw(r);
      expect(r.stderr).toContain('control character (U+001B)');
    }
    // C1 controls and bidi overrides are quoted in the error about the cell, escaped
    writeFileSync(join(d, 'd.csv'), csv('\u009b2J\u202eevil'));
    for (const view of [[], ['--json']]) {
      const r = await mia(['run', join(d, 'c.mia'), '--out', join(d, 'out'), '--no-cache', ...view]);
      expect(r.code).toBe(1);
      noRaw(r);
      expect(r.stderr).toContain('"\\u009b2J\\u202eevil"');
    }
  });

  it('a spec with control characters in a string, a name and a comment: code frames, --json, fmt', async () => {
    const file = join(dir, 'esc.mia');
    writeFileSync(
      file,
      `experiment x { seed 1 }\n// ${FAKE}\ndataset d = csv { path: "${FAKE.replace(/\r/, '')}", bogus\x1b[2J: 1 }\n`,
    );
    const check = await mia(['check', file]);
    expect(check.code).toBe(1);
    noRaw(check);
    // the caret stays under what it points at: the escaped ESC after "bogus"
    const frame = check.stderr.split('\n');
    const i = frame.findIndex((l) => l.startsWith('3 | ') && l.includes('bogus\\u001b'));
    expect(i).toBeGreaterThan(0);
    const caret = frame.slice(i + 1).find((l) => l.includes('^'))!;
    const col = frame[i]!.indexOf('bogus\\u001b') + 'bogus'.length;
    expect(caret.indexOf('^')).toBe(col);
    expect(caret.match(/\^/g)).toHaveLength('\\u001b'.length);
    const json = await mia(['check', file, '--json']);
    noRaw(json);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const fmt = await mia(['fmt', join(dir, 'remote.mia')]);
    noRaw(fmt);
    // a comment ends at \r, so the comment carries the rest
    writeFileSync(
      join(dir, 'comment.mia'),
      `${readFileSync(join(dir, 'remote.mia'), 'utf8')}// ${FAKE.replace(/\r/, '')}\n`,
    );
    const printed = await mia(['fmt', join(dir, 'comment.mia')]);
    expect(printed.code).toBe(0);
    noRaw(printed);
    expect(printed.stdout).toContain(`// ${SHOWN.replace('\\r', '')}`);
  });

  it("an API's answer in a failed job: plain lines and JSON lines", async () => {
    const plain = await mia(['run', join(dir, 'remote.mia'), '--out', join(dir, 'r1'), '--no-cache']);
    expect(plain.code).toBe(1);
    expect(requests).toBeGreaterThan(0); // the answer came from the API
    noRaw(plain);
    expect(plain.stderr).toContain('YOUR MODEL IS SAFE');
    expect(plain.stderr).toContain('\\u001b[2J\\u001b[H');
    const json = await mia(['run', join(dir, 'remote.mia'), '--out', join(dir, 'r2'), '--no-cache', '--json']);
    noRaw(json);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; error?: string });
    const failed = events.find((e) => e.type === 'jobFailed' || e.error !== undefined);
    // the remote target quotes an answer's text with its control characters already made visible
    expect(failed?.error).toContain('\\u001b[2J');
    expect(failed?.error).toContain('\\u009b2J\\u202eevil');
  });

  it('the Ink view in a real terminal is not cleared, and shows the fake text escaped', async () => {
    const session = `mia-escape-${process.pid}`;
    const log = join(dir, 'tmux.done');
    const cmd = `printf 'BEFORE-THE-RUN\\n'; ${process.execPath} ${bin} run ${join(dir, 'remote.mia')} --out ${join(dir, 'r3')} --no-cache; echo "exit $?" > ${log}; sleep 30`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '40', cmd]);
    try {
      for (let i = 0; i < 120 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 500));
      expect(readFileSync(log, 'utf8').trim()).toBe('exit 1');
      const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      expect(screen).toContain('BEFORE-THE-RUN'); // \x1b[2J would have cleared it
      expect(screen).toContain('\\u001b[2J\\u001b[H');
      // the Ink view's own line of the failed job (not only the summary after it) shows the answer escaped
      const inkLines = screen.split('\n').filter((l) => l.startsWith('✗ query remote target api:'));
      expect(inkLines.length).toBeGreaterThan(0);
      for (const l of inkLines) expect(l).toMatch(/: \\u0/); // cut to the view's width after the url
      expect(screen).not.toMatch(/^YOUR MODEL IS SAFE/m);
    } finally {
      execFileSync('tmux', ['kill-session', '-t', session]);
    }
  }, 120_000);
});
