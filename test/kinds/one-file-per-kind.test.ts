/**
 * The done-when of "one descriptor per kind": each attack, data-source, defense and layer kind's name appears
 * as a quoted string in at most two files of src/ (its own file and its family's list), so adding or
 * changing a kind touches one file. Words that are also something else (the `dropout` layer, the `l2`
 * and `early_stopping` training settings, the `top_k` release and remote output) are allowed in the
 * files that use them in that other sense, listed here with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackKinds } from '../../src/attacks/index.js';
import { dataSourceKinds } from '../../src/data/index.js';
import { defenseKinds } from '../../src/defenses/index.js';
import { LAYER_KINDS } from '../../src/ml/layers/index.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

const HOMONYMS: Record<string, string[]> = {
  // a layer kind and a model training setting
  dropout: [
    // the dropout defense adds dropout layers
    'src/defenses/dropout.ts',
  ],
  // a layer kind and DP-SGD's own per-layer step
  dense: ['src/ml/dp/per-example.ts'],
  // a layer kind and the setting of dense and conv2d
  activation: ['src/ml/layers/dense.ts', 'src/ml/layers/conv2d.ts'],
  // a defense and the train block's setting of that name (ml/train-settings/, one file each)
  l2: ['src/ml/train-settings/l2.ts'],
  // ... and the editor's block of it (the train block's nested early_stopping { ... })
  early_stopping: ['src/ml/train-settings/early-stopping.ts', 'src/cli/lsp/place.ts'],
  label_smoothing: ['src/ml/train-settings/label-smoothing.ts'],
  // a data source and an output format of mia records
  csv: ['src/cli/records-command.ts'],
  // a release form (what a composed release gives) and a remote target's output kind
  top_k: [
    'src/kinds/output-release.ts',
    'src/kinds/program.ts',
    // a remote API's top_k(K) output: the first step of its composed release
    'src/check/rules/release-order.ts',
    'src/check/read/targets.ts',
    // a remote API's top_k(K) output: read, typed, turned into its release, checked against the classes, parsed
    'src/check/read/remote.ts',
    'src/check/target-release.ts',
    'src/plan/plan.ts',
    'src/plan/remote.ts',
    'src/run/remote-answers.ts',
  ],
  // an attack kind and the threshold setting of a privacy audit (the report's audit block, mia audit)
  threshold: ['src/check/read/audit.ts', 'src/cli/audit-command.ts'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const sources = files(SRC).map((f) => ({ file: relative(join(SRC, '..'), f), text: readFileSync(f, 'utf8') }));

function filesNaming(kind: string): string[] {
  const quoted = new RegExp(`['"]${kind}['"]`);
  return sources.filter((s) => quoted.test(s.text)).map((s) => s.file);
}

describe('each kind lives in its own file', () => {
  const families = {
    attack: attackKinds().map((d) => d.kind),
    'data source': dataSourceKinds().map((d) => d.kind),
    defense: defenseKinds().map((d) => d.kind),
    // the bare activation names (relu, ...) are words of the activation setting, not kinds of their own
    layer: LAYER_KINDS.filter((k) => !k.alias).map((k) => k.name),
  };
  for (const [family, kinds] of Object.entries(families)) {
    it(`names every ${family} kind in at most two files of src/`, () => {
      expect(kinds.length).toBeGreaterThan(0);
      for (const kind of kinds) {
        const where = filesNaming(kind).filter((f) => !(HOMONYMS[kind] ?? []).includes(f));
        expect(where.length, `${family} "${kind}" is named in ${where.join(', ')}`).toBeGreaterThanOrEqual(1);
        expect(where.length, `${family} "${kind}" is named in ${where.join(', ')}`).toBeLessThanOrEqual(2);
      }
    });
  }

  it('has no `kind ===` test of a kind name outside the descriptors', () => {
    const all = Object.values(families).flat();
    const offenders = sources.flatMap((s) =>
      all
        .filter((k) => !(HOMONYMS[k] ?? []).includes(s.file))
        .filter((k) => new RegExp(`kind\\s*[!=]==\\s*['"]${k}['"]`).test(s.text))
        .map((k) => `${s.file}: ${k}`),
    );
    expect(offenders).toEqual([]);
  });
});
