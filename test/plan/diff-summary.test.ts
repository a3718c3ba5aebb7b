import { describe, expect, it } from 'vitest';
import { diffPlans, diffSummary, diffToText, type PlanDiff } from '../../src/plan/diff.js';
import type { Job, Plan } from '../../src/plan/plan.js';

const job = (id: string) => ({ id, label: id });

describe('mia diff leads with a summary', () => {
  it('names each changed setting once with its job count, then counts what reruns and carries over', () => {
    const d: PlanDiff = {
      added: [job('train/shadow/refs/2')],
      removed: [],
      changed: [
        { ...job('train/target/victim'), reasons: ['mlp.train.epochs 30 → 20'] },
        { ...job('train/shadow/refs/0'), reasons: ['mlp.train.epochs 30 → 20'] },
        { ...job('query/target/victim'), reasons: ['its input train/target/victim changed'] },
      ],
      same: [job('query/population')],
      runsCarriedOver: [],
      runsChanged: [{}],
    };
    expect(diffSummary(d)).toEqual([
      'summary:',
      '  setting  mlp.train.epochs 30 → 20 (2 jobs)',
      '  4 jobs to run (3 changed, 1 of them only because an input changed, 1 added), 0 removed, 1 carried over',
    ]);
    const text = diffToText(d, 'a.mia', 'b.mia');
    expect(text.indexOf('summary:')).toBeLessThan(text.indexOf('details:'));
    expect(text.indexOf('details:')).toBeLessThan(text.indexOf('its input'));
  });

  it('names changed settings as the .mia file does, with no internal path', () => {
    const train = (epochs: number) => ({
      kind: 'train',
      role: 'target',
      owner: 'victim',
      index: 0,
      model: { name: 'mlp', layers: [], train: { epochs } },
      dataset: 'd',
      trainIdx: [1, 2],
      seed: 1,
    });
    const attack = (signal: string, models: number) => ({
      kind: 'attack',
      attack: { kind: 'shadow_model', name: 'shokri', settings: { signal } },
      dataset: 'd',
      target: 'q',
      candidates: [1],
      shadows: [
        { name: 'refs', models: Array.from({ length: models }, () => ({ query: 'q', inIdx: [], outIdx: [] })) },
      ],
      seed: 1,
    });
    const plan = (epochs: number, signal: string, models: number): Plan =>
      ({
        backend: 'wasm',
        runs: [],
        jobs: [
          { id: 'train/target/victim', label: 't', deps: [], inputs: [], hash: `t${epochs}`, spec: train(epochs) },
          {
            id: 'attack/shokri',
            label: 'a',
            deps: [],
            inputs: [],
            hash: `a${signal}${models}`,
            spec: attack(signal, models),
          },
        ] as unknown as Job[],
      }) as unknown as Plan;
    const d = diffPlans(plan(30, 'loss', 8), plan(20, 'confidence', 4));
    expect(d.changed.map((c) => c.reasons)).toEqual([
      ['mlp.train.epochs 30 → 20'],
      ['shokri.signal loss → confidence', 'refs.count 8 → 4'],
    ]);
    expect(diffToText(d, 'a', 'b')).not.toMatch(/shadows\[|attack\.settings|model\./);
  });
});
