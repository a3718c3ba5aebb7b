/**
 * The editor's knowledge against the checker's: the settings it offers in each declaration's block are
 * exactly those the checker's reader accepts there (read from the checker's own E101 hint), every kind it
 * offers is one the checker knows, and what `analyze` and the quick fix make of a spec (an imported file's
 * error shown at its import, a did-you-mean fixed at the misspelt name only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/index.js';
import { parse } from '../../src/lang/index.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, didYouMeanFix, editorHost } from '../../src/cli/lsp/analysis.js';
import { complete, type Declared, format, hover } from '../../src/cli/lsp/features.js';
import { placeAt, settingsOf } from '../../src/cli/lsp/place.js';
import { BLOCKS } from '../../src/cli/lsp/vocabulary.js';

const BASE = `experiment e { seed 1 }
dataset digits = mnist
model mlp { layers [dense(16, relu), dense(classes, softmax)], train { epochs: 2, early_stopping: { patience: 2 } } }
target victim { model mlp, members digits.take(100), nonmembers digits.take(100) }
target api = remote { url: "http://127.0.0.1:1/x", members: digits.take(10), nonmembers: digits.take(10) }
target file = imported("m.json") { members: digits.take(10), nonmembers: digits.take(10) }
target graph = onnx("m.onnx") { members: digits.take(10), nonmembers: digits.take(10) }
shadows refs { model mlp, count 2, pool digits.rest, size 100 }
attack loss = threshold { signal: loss }
report { metrics [auc], audit { confidence: 95% } }
`;

/** The settings the checker lists for the block that `marker` opens in BASE, by adding an unknown one. */
function checkerSettings(marker: string): string[] {
  const at = BASE.indexOf(marker) + marker.length;
  const text = `${BASE.slice(0, at)} zzz_unknown: 1, ${BASE.slice(at)}`;
  const hints = check(parse(text).value, 'x.mia').diagnostics.filter((d) => d.code === 'E101');
  const m = /are: (.*)\.$/.exec(hints[0]?.hint ?? '');
  return m ? m[1]!.split(', ') : [];
}

const offered = (marker: string): string[] => {
  const at = BASE.indexOf(marker) + marker.length;
  return settingsOf(placeAt(BASE, at).place.owner).map((s) => s.name);
};

describe("the editor's vocabulary", () => {
  it.each([
    ['experiment e {', 'experiment'],
    ['model mlp {', 'model'],
    ['train {', 'train'],
    ['early_stopping: {', 'early_stopping'],
    ['shadows refs {', 'shadows'],
    ['target victim {', 'target.local'],
    ['remote {', 'target.remote'],
    ['imported("m.json") {', 'target.imported'],
    ['onnx("m.onnx") {', 'target.onnx'],
    ['report {', 'report'],
    ['audit {', 'audit'],
    ['threshold {', 'threshold'],
  ])('offers in %s the settings the checker accepts there', (marker, _block) => {
    expect([...offered(marker)].sort()).toEqual([...checkerSettings(marker)].sort());
  });

  it('lists every block it knows', () => {
    expect(Object.keys(BLOCKS).sort()).toEqual(
      [
        'audit',
        'early_stopping',
        'experiment',
        'model',
        'report',
        'shadows',
        'target.imported',
        'target.local',
        'target.onnx',
        'target.remote',
        'train',
      ].sort(),
    );
  });
});

describe('analyze', () => {
  const files: Record<string, string> = {
    '/p/lib.mia': 'dataset digits = mnist\nmodel mlp { layers [dense(16, relu)], train { epochz: 2 } }\n',
  };
  const host = editorHost((f) => files[f]);

  it("shows an imported file's error at the import, with where it is", () => {
    const text = `import "lib.mia"\n${BASE.split('\n').slice(2).join('\n')}`.replace('dataset digits = mnist\n', '');
    const a = analyze('file:///p/main.mia', text, host);
    const d = a.diagnostics.find((x) => x.code === 'E101')!;
    expect(d.range).toEqual({ start: { line: 0, character: 7 }, end: { line: 0, character: 16 } });
    expect(d.message).toMatch(/^In lib\.mia:2:\d+: Unknown setting "epochz"/);
    expect(d.relatedInformation?.[0]?.location.uri).toBe('file:///p/lib.mia');
    expect(a.declared.map((x) => x.name)).toEqual(expect.arrayContaining(['digits', 'mlp', 'victim', 'loss']));
  });

  it('fixes a did-you-mean at the misspelt name, not the whole range', () => {
    const text = 'model m { layers [dense(16, relu)], train { epochs: 2, optimizer: adam(rat: 0.1) } }';
    const r = parse(text);
    const d = check(r.value, 'x.mia').diagnostics.find((x) => /Did you mean "rate"/.test(x.message))!;
    const fix = didYouMeanFix(d, text)!;
    expect(text.slice(fix.start, fix.end)).toBe('rat');
    expect(fix.newText).toBe('rate');
    expect(didYouMeanFix({ ...d, message: 'Unknown setting "zzz".' }, text)).toBeNull();
  });
});

describe('completion and hover on text being typed', () => {
  const labels = (text: string, declared: Declared[] = []): string[] =>
    complete(TextDocument.create('file:///x.mia', 'mia', 1, text), text.length, declared).map((c) => c.label);
  const hoverAt = (text: string, word: string): string => {
    const doc = TextDocument.create('file:///x.mia', 'mia', 1, text);
    const h = hover(doc, text.indexOf(word) + 1, []);
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };

  it('offers what goes where, in text that does not parse', () => {
    expect(labels('attack a = lira { sha')).toEqual(['shadows', 'mode', 'fixed_variance', 'centre', 'augmentations']);
    expect(labels('attack a = lira { mode: ')).toEqual(['online', 'offline']);
    expect(labels('model m { layers [dense(8, relu), ')).toContain('conv2d');
    expect(labels('dataset d = ')).toContain('synthetic_purchase');
    expect(labels('target t { defenses [')).toContain('dp_sgd');
    expect(labels('model m { layers [dense(8)], train { optimizer: ')).toEqual(['adam', 'sgd', 'rmsprop']);
    expect(labels('')).toContain('experiment');
  });

  it('shows a layer setting, a defense and a block setting on hover', () => {
    expect(hoverAt('model m { layers [conv2d(8, 3, padding: same)] }', 'padding')).toContain('same | valid');
    expect(hoverAt('target t { defenses [dropout(0.5)] }', 'dropout')).toContain('— defense');
    expect(hoverAt('model m { layers [dropout(0.5)] }', 'dropout')).toContain('— layer');
    expect(hoverAt('model m { layers [dense(8)], train { epochs: 3 } }', 'epochs')).toContain('setting of train');
  });
});

describe('any text', () => {
  it('gets diagnostics with ranges in order and answers, never a throw, at every cut of an example and every place in it', () => {
    const tour = readFileSync(join(import.meta.dirname, '..', '..', 'experiments', 'language-tour.mia'), 'utf8');
    const host = editorHost(() => undefined);
    for (let cut = 0; cut < tour.length; cut += Math.ceil(tour.length / 10)) {
      const text = `${tour.slice(0, cut)}\u0000"{[(${tour.slice(cut + 7, cut + 400)}`;
      const doc = TextDocument.create('file:///x.mia', 'mia', 1, text);
      const a = analyze('file:///x.mia', text, host);
      for (const d of a.diagnostics)
        expect(doc.offsetAt(d.range.end)).toBeGreaterThanOrEqual(doc.offsetAt(d.range.start));
      for (let at = 0; at <= text.length; at += 97) {
        complete(doc, at, a.declared);
        hover(doc, at, a.declared);
      }
      format(doc);
    }
  });
});
