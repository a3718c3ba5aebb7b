import { describe, expect, it } from 'vitest';
import { auditScores } from '../../src/audit/index.js';
import { auditOf, auditTable, claimedEpsilonOf } from '../../src/report/index.js';
import { auditSection } from '../../src/report/audit-html.js';
import type { RunPlan } from '../../src/plan/index.js';
import type { JobOutput } from '../../src/run/index.js';
import { resultLines } from '../../src/ui/results-table.js';

// 400 canaries an attack separates perfectly: the bounds are well above small claimed ε.
const inScores = Array.from({ length: 200 }, (_, i) => 10 + i);
const outScores = Array.from({ length: 200 }, (_, i) => -10 - i);
const results = auditScores({ in: inScores, out: outScores }, { delta: 1e-5, confidence: 0.95 });

const run: RunPlan = {
  params: {},
  seed: 1,
  target: {
    name: 't',
    train: 'train/target/t',
    query: 'query/target/t',
    dataset: 'd',
    members: [],
    nonmembers: [],
    canaries: { in: inScores.map((_, i) => i), out: outScores.map((_, i) => 200 + i), mislabel: false, repeat: 1 },
  },
  attacks: [{ name: 'loss', kind: 'threshold', job: 'attack/loss', evaluate: 'evaluate/loss' }],
  audit: { attacks: ['loss'], confidence: 0.95, delta: 1e-5, threshold: 'bonferroni', methods: ['gdp'] },
};
const outputs = new Map<string, JobOutput>([
  [
    'evaluate/loss',
    {
      kind: 'evaluate',
      scores: new Float64Array(0),
      audit: { results, scores: Float64Array.from([...inScores, ...outScores]) },
    } as JobOutput,
  ],
]);

describe('the audit block beside the claimed ε', () => {
  it('reads a claimed ε from the target result when there is one', () => {
    expect(claimedEpsilonOf({ name: 't' })).toBeNull();
    expect(claimedEpsilonOf({ claimedEpsilon: 4 })).toBe(4);
    expect(claimedEpsilonOf({ epsilon: 8 })).toBe(8);
    expect(claimedEpsilonOf({ epsilon: null })).toBeNull();
  });

  it('without a claim: ε̂ per method, not failed', () => {
    const a = auditOf(run, outputs, { name: 't' })!;
    expect(a.claimedEpsilon).toBeNull();
    expect(a.failed).toBe(false);
    expect(a.attacks[0]!.estimates.map((e) => e.method)).toEqual(results.map((r) => r.method));
    expect(a.attacks[0]!.estimates.every((e) => e.epsilon > 1)).toBe(true);
    expect(auditTable(a).join('\n')).not.toMatch(/FAILED/);
  });

  it('an ε̂ above the claimed ε fails the audit, loudly in the table and the report', () => {
    const a = auditOf(run, outputs, { name: 't', claimedEpsilon: 0.5 })!;
    expect(a.failed).toBe(true);
    expect(auditTable(a).at(-1)).toMatch(/^AUDIT FAILED: an ε̂ exceeds the claimed ε 0\.5/);
    expect(String(auditSection(a))).toContain('<strong>Audit failed:</strong>');
    const target = {
      name: 't',
      trainAccuracy: 1,
      testAccuracy: 0.5,
      generalizationGap: 0.5,
      trainLoss: 0,
      testLoss: 1,
      vulnerability: null,
    };
    const lines = resultLines([{ params: {}, target, attacks: [], audit: a }], [], 200);
    expect(lines.find((l) => l.text.startsWith('AUDIT FAILED'))?.bold).toBe(true);
    const max = Math.max(...results.map((r) => r.epsilon));
    const ok = auditOf(run, outputs, { name: 't', claimedEpsilon: max + 1 })!;
    expect(ok.failed).toBe(false);
    expect(String(auditSection(ok))).not.toContain('Audit failed');
  });

  it('is absent without an audit or without canaries', () => {
    const { audit: _, ...noAudit } = run;
    expect(auditOf(noAudit, outputs, {})).toBeNull();
    const { canaries: __, ...bare } = run.target;
    expect(auditOf({ ...run, target: bare }, outputs, {})).toBeNull();
  });
});
