import { describe, expect, it } from 'vitest';
import {
  applySweepPoint,
  check,
  checkSweep,
  sweepPoints,
  trainedShadows,
  type TypedProgram,
} from '../../src/check/index.js';
import { parse } from '../../src/lang/index.js';

const base = `experiment t { seed 1 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 3, batch: 16 } }
target victim { model m, members digits.take(100), nonmembers digits.take(100) }
shadows refs { model m, count 2, pool digits.rest, size 50 }
attack loss = threshold { signal: loss }
attack shokri = shadow_model { shadows: refs, per_class: true }
`;

function checked(sweep: string): { program: TypedProgram | null; messages: string[] } {
  const p = parse(base + sweep, 't.mia');
  const c = check(p.value, 't.mia');
  return {
    program: c.value,
    messages: [...p.diagnostics, ...c.diagnostics]
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.code} ${d.message}`),
  };
}

describe('sweeps: checkSweep', () => {
  it('accepts sweepable paths with values of the right type', () => {
    const r = checked(
      'sweep { refs.count in [1, 4]; refs.size in [20, 40]; victim.members.size in [50, 80]; victim.nonmembers.size in [50]; m.epochs in [1, 2]; m.batch in [8]; m.rate in [0.1, 0.01]; m.train.epochs in [5]; loss.signal in [loss, entropy]; shokri.per_class in [true, false]; experiment.seed in [1, 2]; t.seed in [3] }',
    );
    expect(r.messages).toEqual([]);
    expect(r.program!.sweep.map((a) => a.path.join('.'))).toContain('refs.count');
    expect(checkSweep(r.program!)).toEqual([]);
  });

  it('reports unknown names and settings with a suggestion, and values of the wrong type', () => {
    expect(checked('sweep { ref.count in [1, 2] }').messages).toEqual([
      'E601 Unknown name "ref" in the sweep path "ref.count". Did you mean "refs"?',
    ]);
    expect(checked('sweep { refs.cont in [1, 2] }').messages).toEqual([
      'E602 "refs" has no setting "cont" a sweep can vary. Did you mean "count"?',
    ]);
    expect(checked('sweep { refs.count in [0, 2.5] }').messages).toEqual([
      'E603 A value of the sweep over "refs.count" must lie between 1 and 4096, not 0',
      'E603 A value of the sweep over "refs.count" must be a whole number, not 2.5',
    ]);
    expect(checked('sweep { loss.signal in [los] }').messages).toEqual([
      'E603 A value of the sweep over "loss.signal" must be one of loss, confidence, entropy, modified_entropy, not "los". Did you mean "loss"?',
    ]);
    expect(checked('sweep { m.rate in [fast] }').messages[0]).toContain('must be a number');
    expect(checked('sweep { refs.count in [1]; refs.count in [2] }').messages[0]).toContain('E605');
    expect(checked('sweep { refs.count in [1, 1] }').messages[0]).toContain('E606');
  });

  it('points span the grid, first axis slowest; applying one sets the values and drops the sweep', () => {
    const { program } = checked('sweep { refs.count in [1, 3]; m.epochs in [2, 5, 9] }');
    const pts = sweepPoints(program!);
    expect(pts.map((p) => p.map((a) => a.value))).toEqual([
      [1, 2],
      [1, 5],
      [1, 9],
      [3, 2],
      [3, 5],
      [3, 9],
    ]);
    const q = applySweepPoint(program!, pts[4]!);
    expect(trainedShadows(q.shadows)[0]!.count).toBe(3);
    expect(q.models[0]!.train.epochs).toBe(5);
    expect(q.sweep).toEqual([]);
    expect(trainedShadows(program!.shadows)[0]!.count).toBe(2); // the original is untouched
    const r = applySweepPoint(
      checked('sweep { shokri.per_class in [false]; victim.members.size in [70]; loss.signal in [entropy] }').program!,
      [
        { path: ['shokri', 'per_class'], value: 'false' },
        { path: ['victim', 'members', 'size'], value: 70 },
        { path: ['loss', 'signal'], value: 'entropy' },
      ],
    );
    expect(r.attacks.find((a) => a.name === 'shokri')?.settings).toMatchObject({ per_class: false });
    expect(r.attacks.find((a) => a.name === 'loss')?.settings).toMatchObject({ signal: 'entropy' });
    expect(r.targets[0]!.members.ops).toEqual([{ op: 'take', n: 70 }]);
  });
});

describe('sweeps: compile errors name the point', () => {
  it('says at which point the data cannot hold the splits, at check time (before compiling)', () => {
    const { program, messages } = checked('sweep { refs.size in [50, 5000] }');
    expect(program).toBeNull();
    expect(messages.some((m) => /^E\d+ At the sweep point refs.size = 5000: .*refs/.test(m))).toBe(true);
    expect(messages.every((m) => !m.includes('refs.size = 50:'))).toBe(true);
  });
});
