import { describe, expect, it } from 'vitest';
import { diffSummary, diffToText, type PlanDiff } from '../../src/plan/diff.js';

const job = (id: string) => ({ id, label: id });

describe('mia diff leads with a summary', () => {
  it('names each changed setting once with its job count, then counts what reruns and carries over', () => {
    const d: PlanDiff = {
      added: [job('train/shadow/refs/2')],
      removed: [],
      changed: [
        { ...job('train/target/victim'), reasons: ['train.epochs: 30 → 20'] },
        { ...job('train/shadow/refs/0'), reasons: ['train.epochs: 30 → 20'] },
        { ...job('query/target/victim'), reasons: ['its input train/target/victim changed'] },
      ],
      same: [job('query/population')],
      runsCarriedOver: [],
      runsChanged: [{}],
    };
    expect(diffSummary(d)).toEqual([
      'summary:',
      '  setting  train.epochs: 30 → 20 (2 jobs)',
      '  4 jobs to run (3 changed, 1 of them only because an input changed, 1 added), 0 removed, 1 carried over',
    ]);
    const text = diffToText(d, 'a.mia', 'b.mia');
    expect(text.indexOf('summary:')).toBeLessThan(text.indexOf('details:'));
    expect(text.indexOf('details:')).toBeLessThan(text.indexOf('its input'));
  });
});
