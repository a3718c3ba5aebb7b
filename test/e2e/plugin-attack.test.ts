/**
 * The proof that an attack kind is one descriptor: a toy kind, written by this test as a plugin module,
 * is registered through the package's public `registerAttack`, checked from its schema and run end to
 * end by `mia run --plugin` (real training, one worker, which must import the plugin too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mia, miaAsync, root, tempDir } from './helpers.js';

const PLUGIN = `import { registerAttack, lossOf } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};
registerAttack({
  kind: 'neg_loss',
  summary: 'Scores each record by its negative loss, scaled.',
  version: 1,
  settings: { scale: { type: 'number', bound: 'positive', default: 1, doc: 'Multiplies every score.' } },
  needsProbabilities: true,
  score: (ctx, s) => Float64Array.from(ctx.candidates, (r) => -s.scale * lossOf(ctx.target, r, ctx.labels[r])),
});
`;

const spec = (setting: string): string => `experiment toy { seed 5 }
dataset digits = mnist
model small {
  layers [dense(16, relu), dense(classes, softmax)]
  train { optimizer: adam(0.01), epochs: 2, batch: 32 }
}
target victim { model small, members digits.take(150), nonmembers digits.take(150) }
attack loss = threshold { signal: loss }
attack toy = neg_loss { ${setting} }
report { metrics [auc, advantage] }
`;

function setup(setting: string): { dir: string; file: string; plugin: string } {
  const dir = tempDir('mia-plugin-');
  const plugin = join(dir, 'neg-loss.mjs');
  writeFileSync(plugin, PLUGIN);
  const file = join(dir, 'toy.mia');
  writeFileSync(file, spec(setting));
  return { dir, file, plugin };
}

describe('an attack kind added by a plugin', () => {
  it('runs end to end with mia run --plugin, in the worker too, and scores as its code says', async () => {
    const { dir, file, plugin } = setup('scale: 2');
    const out = join(dir, 'out');
    const r = await miaAsync(['run', file, '--plugin', plugin, '--out', out, '--no-cache', '--jobs', '1']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const attacks = results.runs[0].attacks as { name: string; kind: string; metrics: { auc: number } }[];
    const toy = attacks.find((a) => a.name === 'toy')!;
    const loss = attacks.find((a) => a.name === 'loss')!;
    expect(toy.kind).toBe('neg_loss');
    // −2·loss orders records as −loss does: the same ROC as the built-in loss threshold.
    expect(toy.metrics.auc).toBeGreaterThan(0.5);
    expect(toy.metrics.auc).toBeCloseTo(loss.metrics.auc, 12);
  }, 240_000);

  it("checks its settings from its schema: a bad value gets the schema's message at the value", async () => {
    const { file, plugin } = setup('scale: -3');
    const r = await mia(['check', file, '--plugin', plugin]);
    expect(r.code).toBe(1);
    const line =
      spec('scale: -3')
        .split('\n')
        .findIndex((l) => l.includes('scale: -3')) + 1;
    const col = spec('scale: -3').split('\n')[line - 1]!.indexOf('-3') + 1;
    expect(r.stdout + r.stderr).toContain(`toy.mia:${line}:${col}`);
    expect(r.stdout + r.stderr).toContain('The scale of neg_loss "toy" must be greater than 0, not -3.');
    const typo = await mia(['check', setup('scael: 1').file, '--plugin', plugin]);
    expect(typo.code).toBe(1);
    expect(typo.stdout + typo.stderr).toContain(
      'Unknown setting "scael" in the neg_loss attack "toy". Did you mean "scale"?',
    );
  });

  it('is unknown without the plugin, and a missing plugin file is a user error', async () => {
    const { file, dir } = setup('scale: 1');
    const r = await mia(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('Unknown attack kind "neg_loss".');
    const missing = await mia(['check', file, '--plugin', join(dir, 'nope.mjs')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/The plugin .*nope\.mjs does not exist/);
    expect(missing.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  });
});
