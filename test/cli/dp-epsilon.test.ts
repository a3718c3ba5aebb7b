import { describe, expect, it } from 'vitest';
import { miaAsync as mia } from '../e2e/helpers.js';

const base = ['dp-epsilon', '--dataset-size', '60000', '--batch-size', '256', '--epochs', '60', '--delta', '1e-5'];

describe('mia dp-epsilon (through bin/mia.js)', () => {
  it('prints ε and the optimal order as JSON', async () => {
    const r = await mia([...base, '--noise-multiplier', '1.1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { epsilon: number; order: number; steps: number; conversion: string };
    expect(j.epsilon).toBeGreaterThan(2.57);
    expect(j.epsilon).toBeLessThan(2.63);
    expect(j.order).toBe(8.1);
    expect(j.steps).toBe(14063);
    expect(j.conversion).toBe('improved');
  });

  it('offers the classic conversion, and prints a sentence without --json', async () => {
    const r = await mia([...base, '--noise-multiplier', '1.1', '--conversion', 'classic']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ε = 3\.0\d+, δ = 0\.00001/);
    expect(r.stdout).toContain('14063 steps');
  });

  it('with --epsilon, prints the noise multiplier that reaches it', async () => {
    const r = await mia([...base, '--epsilon', '2.5967', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { epsilon: number; noiseMultiplier: number };
    expect(j.noiseMultiplier).toBeCloseTo(1.1, 3);
    expect(j.epsilon).toBeLessThanOrEqual(2.5967);
  });

  it('--accountant pld states a lower ε than RDP, with its discretisation error, and says which accountant', async () => {
    const args = ['dp-epsilon', '--dataset-size', '1000', '--batch-size', '100', '--epochs', '10', '--delta', '1e-5'];
    const [pld, rdp, bad] = await Promise.all([
      mia([...args, '--noise-multiplier', '2', '--accountant', 'pld', '--json']),
      mia([...args, '--noise-multiplier', '2', '--json']),
      mia([...args, '--noise-multiplier', '2', '--accountant', 'prv']),
    ]);
    expect(pld.code).toBe(0);
    const p = JSON.parse(pld.stdout) as { epsilon: number; accountant: string; discretisationError: number };
    const r = JSON.parse(rdp.stdout) as { epsilon: number; accountant: string };
    expect([p.accountant, r.accountant]).toEqual(['pld', 'rdp']);
    expect(p.epsilon).toBeLessThan(r.epsilon);
    expect(p.epsilon).toBeGreaterThan(0.6 * r.epsilon);
    expect(p.discretisationError).toBeCloseTo(0.1, 9); // 100 steps × h = 1e-3
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--accountant prv is not valid: give rdp or pld.');
  });

  it('usage errors exit 2 with the problem, the usage line and a pointer to --help', async () => {
    for (const args of [
      [...base],
      [...base, '--noise-multiplier', '1.1', '--epsilon', '2'],
      [...base, '--noise-multiplier', 'abc'],
      [
        'dp-epsilon',
        '--dataset-size',
        '100',
        '--batch-size',
        '256',
        '--epochs',
        '1',
        '--delta',
        '1e-5',
        '--epsilon',
        '1',
      ],
      [...base, '--noise-multiplier', '1', '--bogus'],
    ]) {
      const r = await mia(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      // The command table's usage error: the problem, the usage line, a pointer to --help.
      expect(r.stderr).toMatch(/^mia: .+\nusage: mia dp-epsilon .+\nsee: mia dp-epsilon --help\n$/);
    }
  });

  it('answers for any noise multiplier within seconds: ε for huge noise, one line and exit 1 when ε = ∞', async () => {
    const huge = await mia([...base, '--noise-multiplier', '1e300', '--json']);
    expect(huge.code).toBe(0);
    expect((JSON.parse(huge.stdout) as { epsilon: number }).epsilon).toBeLessThan(0.01);
    for (const tiny of ['1e-300', '1e-200']) {
      const r = await mia([...base, '--noise-multiplier', tiny]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^mia dp-epsilon: noise multiplier .* too small for any finite ε.*--noise-multiplier.*\n$/,
      );
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });

  it('a target ε no noise reaches is one line naming the least ε reachable, exit 1', async () => {
    for (const eps of ['1e-9', '0.001']) {
      const r = await mia([...base, '--epsilon', eps]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^mia dp-epsilon: no noise multiplier reaches ε = .* the least ε .* is 0\.0\d+; raise/);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });

  it("epochs past the schema's limit and a dataset whose steps overflow are usage errors", async () => {
    const args = (n: string, e: string) => [
      'dp-epsilon',
      '--dataset-size',
      n,
      '--batch-size',
      '1',
      '--epochs',
      e,
      '--delta',
      '1e-5',
      '--noise-multiplier',
      '1',
    ];
    for (const [n, e] of [
      ['100', '1e300'],
      ['1e300', '1'],
    ] as const) {
      const r = await mia(args(n, e));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not valid: give/);
    }
  });
});
