/**
 * Diagnostic codes have one owner each (src/lang/codes.ts): every code written in src/ is registered and
 * written only by its owner or a file that shares its meaning; every registered code is emitted; none is
 * registered twice; the codes the README and the tests name exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES, type CodeInfo } from '../../src/lang/codes.js';
import type { Rule } from '../../src/check/rules/index.js';
import { checkRule } from './harness.js';
import { BASE, check, pos } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
const REGISTRY = 'lang/codes.ts';
const table: Record<string, CodeInfo> = CODES;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The codes written as string literals (in single, double or back quotes) in a text: the ones it emits. */
const literals = (text: string): string[] => [...text.matchAll(/['"`]([EW]\d{3})['"`]/g)].map((m) => m[1]!);
/** Every code a text names, literal or in prose (E203–E206 names both ends). */
const named = (text: string): string[] => [...text.matchAll(/\b([EW]\d{3})\b/g)].map((m) => m[1]!);

/** Code → the files below src/ that write it as a literal (the registry aside). */
function writers(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const f of files(SRC)) {
    const rel = relative(SRC, f).split('\\').join('/');
    if (rel === REGISTRY) continue;
    // a rule's `codes: [...]` lists what it reports (checked below), it does not write them
    const text = readFileSync(f, 'utf8').replace(/^ {2}codes: \[[^\]]*\],$/gm, '');
    for (const code of literals(text)) {
      if (!out.has(code)) out.set(code, new Set());
      out.get(code)!.add(rel);
    }
  }
  return out;
}

describe('diagnostic codes (src/lang/codes.ts)', () => {
  const written = writers();

  it('registers every code written in src/, and each is written only by its owner or a file sharing it', () => {
    const stray: string[] = [];
    for (const [code, where] of written) {
      const info = table[code];
      if (!info) {
        stray.push(`${code} is not registered (written in ${[...where].join(', ')})`);
        continue;
      }
      const allowed = new Set([info.owner, ...(info.shared ?? [])]);
      for (const f of where) if (!allowed.has(f)) stray.push(`${code} is ${info.owner}'s but written in ${f}`);
    }
    expect(stray).toEqual([]);
  });

  it('every registered code is emitted by its owner and by each file said to share it', () => {
    const missing: string[] = [];
    for (const [code, info] of Object.entries(table))
      for (const f of [info.owner, ...(info.shared ?? [])])
        if (!written.get(code)?.has(f)) missing.push(`${code}: ${f} does not write it`);
    expect(missing).toEqual([]);
  });

  it('registers no code twice (one meaning each), every code in the E/W nnn form', () => {
    const source = readFileSync(join(SRC, REGISTRY), 'utf8');
    const keys = [...source.matchAll(/^ {2}([A-Z]\w*): \{/gm)].map((m) => m[1]!);
    expect(keys.length).toBe(Object.keys(table).length);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    for (const k of keys) expect(k).toMatch(/^[EW]\d{3}$/);
    for (const info of Object.values(table)) expect(info.meaning).toMatch(/^\S.*\.$/);
  });

  it('the codes the README names exist', () => {
    const readme = named(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(readme.length).toBeGreaterThan(20);
    expect([...new Set(readme)].filter((c) => !(c in table))).toEqual([]);
  });

  it('the codes the tests assert exist', () => {
    const inTests = files(join(ROOT, 'test')).flatMap((f) => literals(readFileSync(f, 'utf8')));
    expect([...new Set(inTests)].filter((c) => !(c in table))).toEqual([]);
  });
});

describe('each rule lists its codes (Rule.codes)', () => {
  const RULES = join(SRC, 'check', 'rules');

  it('a rule lists every code it owns or shares, and besides only codes of the descriptors it runs', async () => {
    const wrong: string[] = [];
    let seen = 0;
    for (const name of readdirSync(RULES).filter((f) => f.endsWith('.ts'))) {
      const mod: Record<string, unknown> = await import(join(RULES, name));
      const rules = Object.values(mod).filter(
        (v): v is Rule => typeof v === 'object' && v !== null && 'run' in v && 'codes' in v,
      );
      if (rules.length === 0) continue;
      seen++;
      const file = `check/rules/${name}`;
      const listed = new Set<string>(rules.flatMap((r) => r.codes));
      for (const [code, info] of Object.entries(table)) {
        const mine = info.owner === file || (info.shared ?? []).includes(file);
        if (mine && !listed.has(code)) wrong.push(`${file} owns ${code} but does not list it`);
        if (listed.has(code) && !mine && info.owner.startsWith('check/'))
          wrong.push(`${file} lists ${code}, which is ${info.owner}'s`);
      }
    }
    expect(wrong).toEqual([]);
    expect(seen).toBeGreaterThanOrEqual(20);
  });

  it('the harness refuses a rule that reports a code it does not list', () => {
    const liar: Rule = { name: 'liar', codes: ['E201'], run: (ctx) => ctx.error('E202', 'x', undefined) };
    expect(() => checkRule(liar, BASE)).toThrow(/Rule liar reported E202, not in its codes/);
  });
});

describe('codes that two meanings shared, renumbered', () => {
  const errors = (src: string) => check(src).filter((d) => d.severity === 'error');

  it('an unknown augmentation is E145 (E142 is a per-class threshold without shadows)', () => {
    const src = `${BASE}attack lo = label_only { method: augmentation, augmentations: [rotat(3)], shadows: refs }\n`;
    const [d] = errors(src);
    expect([d?.code, d?.message]).toEqual(['E145', 'Unknown augmentation "rotat". Did you mean "rotate"?']);
    expect(d?.range.start).toMatchObject(pos(src, 'rotat('));
  });

  it('an empty layers list is E171 (E160 is dp_sgd without exactly one of noise and epsilon)', () => {
    const src = BASE.replace('layers [dense(16, relu), dense(classes, softmax)]', 'layers []');
    const [d] = errors(src);
    expect(d?.code).toBe('E171');
    expect(d?.message).toBe('layers must not be empty, e.g. [dense(128, relu), dense(classes, softmax)].');
    expect(d?.range.start).toMatchObject(pos(src, '[]'));
  });
});
