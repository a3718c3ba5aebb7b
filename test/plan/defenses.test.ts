/** Defenses and several targets in the plan: hooks reached through descriptors, shared jobs, accounting, messages. */
import { describe, expect, it } from 'vitest';
import { check, unsupportedForRun } from '../../src/check/index.js';
import { dpSgdEpsilon } from '../../src/defenses/accountant/rdp.js';
import { withDropout } from '../../src/defenses/dropout.js';
import { parse } from '../../src/lang/index.js';
import type { DatasetInfo, Plan, TrainSpec } from '../../src/plan/index.js';
import { program, compilePlan } from './helpers.js';

const datasets: DatasetInfo[] = [
  { name: 'digits', source: { kind: 'mnist' }, n: 10000, classes: 10, shape: [28, 28, 1] },
];

const src = (targets: string, extra = '') => `experiment t { seed 3 }
dataset digits = mnist
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: sgd(0.1), epochs: 3, batch: 50 } }
${targets}
shadows refs { model m, count 2, pool digits.rest, size 300 ${extra} }
attack loss = threshold { signal: loss }
attack lira = lira { shadows: refs, mode: offline, fixed_variance: true }
attack gap = label_only { method: gap }
`;
const tgt = (name: string, defenses = '') =>
  `target ${name} { model m, members digits.take(500), nonmembers digits.take(500)${defenses ? `, defenses [${defenses}]` : ''} }`;

const planOf = (s: string): Plan => compilePlan(program(s), datasets, 'cpu');
const job = (p: Plan, id: string) => {
  const j = p.jobs.find((x) => x.id === id);
  if (!j) throw new Error(`no job ${id} in ${p.jobs.map((x) => x.id).join(', ')}`);
  return j;
};
const trainSpec = (p: Plan, id: string) => job(p, id).spec as TrainSpec;

function diagnostics(s: string) {
  const c = check(parse(s, 't.mia').value, 't.mia');
  return [...c.diagnostics, ...(c.value ? unsupportedForRun(c.value) : [])];
}

describe('several targets', () => {
  const p = planOf(src([tgt('base'), tgt('top', 'top_k(1)'), tgt('reg', 'l2(0.01)')].join('\n')));

  it('gives each target a run, on the same members and non-members, with every attack', () => {
    expect(p.runs.map((r) => r.target.name)).toEqual(['base', 'top', 'reg']);
    for (const r of p.runs) {
      expect(r.target.members).toEqual(p.runs[0]!.target.members);
      expect(r.target.nonmembers).toEqual(p.runs[0]!.target.nonmembers);
      expect(r.attacks.map((a) => a.name)).toEqual(['loss', 'lira', 'gap']);
    }
    expect(new Set(p.runs[0]!.target.members).size).toBe(500);
    expect(p.runs[0]!.target.members.some((m) => p.runs[0]!.target.nonmembers.includes(m))).toBe(false);
  });

  it('shares the shadow models of targets trained alike; a training-time defense gets its own (mimicked)', () => {
    const shadowTrains = p.jobs.filter((j) => j.spec.kind === 'train' && j.spec.role === 'shadow').map((j) => j.id);
    expect(shadowTrains).toEqual([
      'train/shadow/refs/0',
      'train/shadow/refs/1',
      'train/shadow/refs~reg/0',
      'train/shadow/refs~reg/1',
    ]);
    expect(trainSpec(p, 'train/shadow/refs~reg/0').model.train.l2).toBe(0.01);
    expect(trainSpec(p, 'train/shadow/refs/0').model.train.l2).toBe(0);
    // Same draw and seed as the plain shadow: only the defense differs.
    expect(trainSpec(p, 'train/shadow/refs~reg/0').trainIdx).toEqual(trainSpec(p, 'train/shadow/refs/0').trainIdx);
    expect(trainSpec(p, 'train/shadow/refs~reg/0').seed).toBe(trainSpec(p, 'train/shadow/refs/0').seed);
    const lira = (t: string) => job(p, `attack/lira/${t}`).deps;
    // top_k is output-time: the top target is the base model, released differently.
    expect(lira('top')).toEqual(lira('base'));
    expect(job(p, 'attack/lira/top').spec).toMatchObject({
      release: { kind: 'transformed', form: 'top_k', steps: [{ kind: 'top_k', settings: { k: 1 } }] },
    });
    const targetTrains = p.jobs.filter((j) => j.spec.kind === 'train' && j.spec.role === 'target').map((j) => j.id);
    expect(targetTrains).toEqual(['train/target/base', 'train/target/reg']);
    expect(p.runs[1]!.target.train).toBe('train/target/base');
    expect(lira('reg').some((d) => d.startsWith('query/shadow/refs~reg/'))).toBe(true);
  });

  it('with `defenses none`, shadows never mimic', () => {
    const q = planOf(src([tgt('base'), tgt('reg', 'l2(0.01)')].join('\n'), ', defenses none'));
    expect(q.jobs.filter((j) => j.spec.kind === 'train' && j.spec.role === 'shadow')).toHaveLength(2);
  });

  it('keeps the ids of a single-target plan', () => {
    const one = planOf(src(tgt('base')));
    expect(one.runs[0]!.attacks.map((a) => a.job)).toEqual(['attack/loss', 'attack/lira', 'attack/gap']);
  });

  it('skips attacks needing probabilities against a labels-only target among several (W350)', () => {
    const s = src([tgt('base'), tgt('lab', 'labels_only')].join('\n'));
    const q = planOf(s);
    expect(q.runs[1]!.attacks.map((a) => a.name)).toEqual(['gap']);
    expect(job(q, 'attack/gap/lab').spec).toMatchObject({ release: { kind: 'transformed', form: 'labels' } });
    const d = diagnostics(s);
    expect(d.filter((x) => x.code === 'W350')).toHaveLength(2);
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
  });
});

describe('training-time defenses in the plan', () => {
  it('changes the TrainDef for l2, label_smoothing and early_stopping (holding out validation records)', () => {
    const p = planOf(src(tgt('v', 'l2(0.002), label_smoothing(0.1), early_stopping(2, validation: 20%)')));
    const t = trainSpec(p, 'train/target/v');
    expect(t.model.train).toMatchObject({
      l2: 0.002,
      labelSmoothing: 0.1,
      earlyStopping: { patience: 2, validation: 0.2 },
    });
    expect(t.validationIdx).toHaveLength(100);
    expect(t.trainIdx).toHaveLength(400);
    expect(p.runs[0]!.target.members).toEqual(t.trainIdx);
  });

  it('inserts dropout after each hidden dense/conv layer', () => {
    const p = planOf(src(tgt('v', 'dropout(30%)')));
    expect(trainSpec(p, 'train/target/v').model.layers.map((l) => l.kind)).toEqual(['dense', 'dropout', 'dense']);
    expect(
      withDropout(
        [
          { kind: 'conv2d', filters: 4, kernel: 3, stride: 1, padding: 'same', activation: 'relu' },
          { kind: 'flatten' },
          { kind: 'dense', units: 16, activation: 'relu' },
          { kind: 'dense', units: 'classes', activation: 'softmax' },
        ],
        0.5,
      ).map((l) => l.kind),
    ).toEqual(['conv2d', 'dropout', 'flatten', 'dense', 'dropout', 'dense']);
  });

  it('records the accountant’s ε for dp_sgd given noise, and finds the noise for a target ε', () => {
    const p = planOf(
      src(
        [tgt('a', 'dp_sgd { noise: 1.2, clip: 1 }'), tgt('b', 'dp_sgd { epsilon: 3, clip: 1, delta: 1e-4 }')].join(
          '\n',
        ),
      ),
    );
    const a = p.runs[0]!.target.privacy!;
    const setting = { datasetSize: 500, batchSize: 50, epochs: 3 };
    expect(a.epsilon).toBe(dpSgdEpsilon({ ...setting, delta: 1e-5, noise: 1.2 }).epsilon);
    expect(a).toMatchObject({ noise: 1.2, delta: 1e-5, steps: 30, sampling: 0.1, clip: 1 });
    const b = p.runs[1]!.target.privacy!;
    expect(b.epsilon).toBeLessThanOrEqual(3);
    expect(b.epsilon).toBeGreaterThan(2.99);
    expect(b.epsilon).toBe(dpSgdEpsilon({ ...setting, delta: 1e-4, noise: b.noise }).epsilon);
    expect(trainSpec(p, 'train/target/a').trainer).toEqual({
      kind: 'dp_sgd',
      settings: expect.objectContaining({ noise: 1.2 }),
    });
    expect(trainSpec(p, 'train/shadow/refs~a/0').trainer?.kind).toBe('dp_sgd');
  });

  it('gives adversarial regularisation reference records outside every target’s members and non-members', () => {
    const p = planOf(src([tgt('base'), tgt('adv', 'adversarial_regularization(1, reference: 300)')].join('\n')));
    const t = trainSpec(p, 'train/target/adv');
    expect(t.referenceIdx).toHaveLength(300);
    const used = new Set([...p.runs[0]!.target.members, ...p.runs[0]!.target.nonmembers]);
    expect(t.referenceIdx!.some((r) => used.has(r))).toBe(false);
  });

  it('a target ε no noise reaches is refused before the plan; ε = ∞ is an error at the defense; huge noise is accounted', () => {
    for (const eps of ['1e-9', '0.0001'])
      expect(() => planOf(src(tgt('v', `dp_sgd { epsilon: ${eps}, clip: 1 }`)))).toThrow(
        /dp_sgd's epsilon .* is below [\d.]+, the least ε/,
      );
    expect(() => planOf(src(tgt('v', 'dp_sgd { noise: 1e-300, clip: 1 }')))).toThrow(/too small for any finite ε/);
    const p = planOf(src(tgt('v', 'dp_sgd { noise: 1e300, clip: 1 }')));
    expect(p.runs[0]!.target.privacy!.epsilon).toBeLessThan(0.1);
  });

  it('refuses two defenses that each replace the training loop', () => {
    expect(() => planOf(src(tgt('v', 'dp_sgd { noise: 1, clip: 1 }, adversarial_regularization(1)')))).toThrow(
      /each replace the training loop/,
    );
  });
});

describe('output-time defenses in the plan', () => {
  it('puts MemGuard in a perturb job the attacks read, fitted on members and reference records', () => {
    const p = planOf(src(tgt('v', 'memguard { epsilon: 0.3, reference: 200 }')));
    const pj = job(p, 'perturb/target/v/memguard');
    expect(pj.deps).toEqual(['query/target/v']);
    expect(pj.spec).toMatchObject({ kind: 'perturb', defense: { kind: 'memguard' } });
    expect(p.runs[0]!.target.query).toBe(pj.id);
    expect(job(p, 'attack/loss').deps).toEqual([pj.id]);
    // The shadows' outputs are not perturbed.
    expect(job(p, 'attack/lira').deps.slice(1)).toEqual(['query/shadow/refs/0', 'query/shadow/refs/1']);
  });

  it('sends each release to the attacks', () => {
    const step = (kind: string, settings: Record<string, number>) => ({ kind, settings });
    for (const [d, release] of [
      ['top_k(3)', { form: 'top_k', steps: [step('top_k', { k: 3 })] }],
      ['rounding(2)', { form: 'probabilities', steps: [step('rounding', { decimals: 2 })] }],
      // composed in the order written, each kept (before: only the most restrictive, top_k)
      ['top_k(3), rounding(1)', { form: 'top_k', steps: [step('top_k', { k: 3 }), step('rounding', { decimals: 1 })] }],
      [
        'rounding(1), gaussian_noise(0.01), top_k(2)',
        {
          form: 'top_k',
          steps: [step('rounding', { decimals: 1 }), step('gaussian_noise', { sigma: 0.01 }), step('top_k', { k: 2 })],
        },
      ],
    ] as const)
      expect(job(planOf(src(tgt('v', d))), 'attack/gap').spec).toMatchObject({
        release: { kind: 'transformed', ...release },
      });
    // labels_only last: the composed release is labels; attacks needing probabilities skip that target
    const lab = planOf(src([tgt('base'), tgt('v', 'top_k(3), labels_only')].join('\n')));
    expect(job(lab, 'attack/gap/v').spec).toMatchObject({ release: { kind: 'transformed', form: 'labels' } });
    expect(lab.runs[1]!.attacks.map((a) => a.name)).toEqual(['gap']);
    expect(job(planOf(src(tgt('v', 'l2(0.01)'))), 'attack/lira').spec).toMatchObject({
      release: { kind: 'probabilities' },
    });
  });
});

describe('checker and run gate', () => {
  it('a dp_sgd epsilon below what any noise reaches at its delta is refused at check, at the epsilon (E163)', () => {
    for (const [eps, delta] of [
      ['1e-9', ''],
      ['0.008', ''],
      ['0.01', ', delta: 1e-12'],
    ]) {
      const ds = check(parse(src(tgt('v', `dp_sgd { epsilon: ${eps}, clip: 1${delta} }`))).value, 't.mia').diagnostics;
      const e = ds.find((d) => d.code === 'E163');
      expect(e?.message).toMatch(
        /^dp_sgd's epsilon .* is below [\d.]+, the least ε the RDP accountant states at delta/,
      );
    }
    const ok = check(parse(src(tgt('v', 'dp_sgd { epsilon: 0.009, clip: 1 }'))).value, 't.mia').diagnostics;
    expect(ok.filter((d) => d.code === 'E163')).toEqual([]);
  });

  it('asks dp_sgd for exactly one of noise and epsilon (E160)', () => {
    const neither = diagnostics(src(tgt('v', 'dp_sgd { clip: 1 }'))).filter((d) => d.code === 'E160');
    expect(neither.map((d) => d.message)).toEqual([
      'dp_sgd needs either `noise` (the noise multiplier) or `epsilon` (a target ε).',
    ]);
    const both = diagnostics(src(tgt('v', 'dp_sgd { noise: 1, epsilon: 2, clip: 1 }'))).filter(
      (d) => d.code === 'E160',
    );
    expect(both[0]!.message).toMatch(/not both/);
  });

  it('refuses output defenses composed in an order no deployment has (E165), at the later one', () => {
    const at = (defenses: string) =>
      diagnostics(src(tgt('v', defenses)))
        .filter((d) => d.code === 'E165' || d.code === 'W165')
        .map((d) => [d.code, d.range.start.column, d.message]);
    const line = tgt('v', 'X').indexOf('X') + 1; // the column of the first defense
    expect(at('labels_only, rounding(1)')).toEqual([
      [
        'E165',
        line + 'labels_only, '.length,
        'The rounding defense of target "v" follows the labels_only defense: the target releases labels only there, so rounding has no probabilities to act on.',
      ],
    ]);
    expect(at('labels_only, top_k(3)')[0]?.[0]).toBe('E165');
    expect(at('labels_only, gaussian_noise(0.1)')[0]?.[0]).toBe('E165');
    expect(at('labels_only, labels_only')[0]?.[0]).toBe('W165');
    expect(at('top_k(3), memguard')[0]?.[2]).toMatch(
      /memguard .* perturbs the model's own probabilities, but it is written after the top_k defense/,
    );
    expect(at('memguard, top_k(3), rounding(1), labels_only')).toEqual([]);
    expect(at('l2(0.01), labels_only, dropout(0.1)')).toEqual([]); // training-time defenses are not in the release
    // a remote API's own output is the first step
    const remote = (output: string, defenses: string) =>
      diagnostics(
        src(
          `target api = remote { url: "http://127.0.0.1:9/", output: ${output}, budget: 5000, members: digits.take(500), nonmembers: digits.take(500), defenses: [${defenses}] }`,
        ),
      ).filter((d) => d.code === 'E165');
    expect(remote('labels', 'top_k(2)').map((d) => [d.message, d.hint])).toEqual([
      [
        'The top_k defense of target "api" follows the API answering labels only: the target releases labels only there, so top_k has no probabilities to act on.',
        'Drop top_k: the API answers labels only.',
      ],
    ]);
    expect(remote('top_k(3)', 'memguard')[0]?.message).toMatch(/written after the API answering its top 3/);
    expect(remote('top_k(3)', 'rounding(2)')).toEqual([]);
  });

  it('bounds rounding to 15 decimals and top_k to the classes, at the setting', () => {
    const codes = (d: string) =>
      diagnostics(src(tgt('v', d)))
        .filter((x) => x.severity === 'error')
        .map((x) => `${x.code} ${x.message}`);
    expect(codes('rounding(400)')).toEqual(['E118 The decimals of rounding is 400, more than mia allows (15).']);
    expect(codes('rounding(309)')).toHaveLength(1);
    expect(codes('rounding(15)')).toEqual([]);
    expect(codes('rounding(0)')).toEqual([]);
    expect(codes('top_k(0)')).toEqual(['E111 The k of top_k must be at least 1, not 0.']);
    expect(codes('top_k(-1)')).toEqual(['E111 The k of top_k must be at least 1, not -1.']);
    expect(codes('top_k(11)')).toEqual([
      'E164 top_k(11) releases more classes than the data has (10): it would release every probability.',
    ]);
    expect(codes('top_k(10)')).toEqual([]);
  });

  it('refuses top_k past the classes at plan time where check could not know them (data files)', () => {
    const few: DatasetInfo[] = [{ ...datasets[0]!, classes: 3 }];
    expect(() => compilePlan(program(src(tgt('v', 'top_k(4)'))), few, 'cpu')).toThrow(
      'top_k(4) releases more classes than the data has (3)',
    );
  });

  it('runs every built-in defense and several targets (no E900)', () => {
    const all = [
      'dp_sgd { noise: 1, clip: 1 }',
      'l2(0.01)',
      'dropout(0.2)',
      'early_stopping(2)',
      'label_smoothing(0.1)',
      'top_k(2)',
      'rounding(2)',
      'labels_only',
      'memguard',
      'adversarial_regularization(1)',
      'gaussian_noise(0.01)',
      'memguard, top_k(3), rounding(2), labels_only',
    ];
    const d = diagnostics(src(all.map((x, i) => tgt(`t${i}`, x)).join('\n')));
    expect(d.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
