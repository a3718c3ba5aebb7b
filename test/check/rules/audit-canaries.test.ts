import { describe, expect, it } from 'vitest';
import { BASE, check, pos } from '../helpers.js';
import { auditCanaries } from '../../../src/check/rules/audit-canaries.js';
import { ruleErrors } from '../harness.js';
import { membersOverlap } from '../../../src/check/rules/members-overlap.js';

/** auditCanaries's diagnostics of one code, from the one-rule harness. */
const errorsOf = ruleErrors(auditCanaries);

const withCanaries = (canaries: string, report = 'report { audit { attacks [loss] } }'): string =>
  BASE.replace('nonmembers digits.take(100) }', `nonmembers digits.take(100), canaries ${canaries} }`) + report;

describe('canaries and the report audit', () => {
  it('accepts canaries with settings and an audit naming the attacks', () => {
    const src = withCanaries(
      'digits.take(200) { mislabel: true, repeat: 2 }',
      'report { audit { attacks [loss], confidence: 90%, delta: 1e-6, threshold: split, methods [gdp, one_run] } }',
    );
    expect(check(src).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('points at an unknown attack of the audit with a did-you-mean', () => {
    const src = withCanaries('digits.take(200)', 'report { audit { attacks [los] } }');
    const [e] = errorsOf(src, 'E360');
    expect(e?.message).toBe(
      'The audit names the attack "los", which the experiment does not declare. Did you mean "loss"?',
    );
    expect(e?.range.start).toMatchObject(pos(src, 'los]'));
  });

  it('reports an audit without canaries at the audit', () => {
    const src = `${BASE}report { audit { attacks [loss] } }`;
    const [e] = errorsOf(src, 'E361');
    expect(e?.message).toMatch(/no target has canaries/);
    expect(e?.range.start).toMatchObject(pos(src, 'audit {'));
  });

  it('rejects canaries that may share records with the members or non-members', () => {
    const src = withCanaries('digits.sample(50)');
    const es = ruleErrors(membersOverlap)(src, 'E341');
    expect(es.map((e) => e.message)).toEqual([
      'The canaries of target "victim" may share records with its members: a sample(n) draws from the whole dataset, so it can pick records of the other set.',
      'The canaries of target "victim" may share records with its non-members: a sample(n) draws from the whole dataset, so it can pick records of the other set.',
    ]);
    expect(es[0]?.range.start).toMatchObject(pos(src, 'digits.sample(50)'));
  });

  it('checks the canary settings and audit values at their places', () => {
    const bad = withCanaries('digits.take(200) { mislabel: yes, repeat: 0, copies: 2 }');
    const ds = check(bad).filter((d) => d.severity === 'error');
    expect(ds.find((d) => d.code === 'E113')?.range.start).toMatchObject(pos(bad, 'yes'));
    expect(ds.find((d) => d.code === 'E111')?.range.start).toMatchObject(pos(bad, '0, copies'));
    expect(ds.find((d) => d.code === 'E101')?.message).toMatch(
      /Unknown setting "copies" in the canaries of target "victim"/,
    );
    const audit = withCanaries(
      'digits.take(200)',
      'report { audit { confidence: 1.5, threshold: best, methods [gpd] } }',
    );
    const as = check(audit).filter((d) => d.severity === 'error');
    expect(as.find((d) => d.code === 'E117')?.range.start).toMatchObject(pos(audit, '1.5'));
    expect(as.find((d) => d.code === 'E113')?.message).toMatch(/Unknown audit threshold "best"/);
    expect(as.find((d) => d.code === 'E155')?.message).toBe('Unknown audit method "gpd". Did you mean "gdp"?');
  });

  it('reads canary settings against their schema: a wrong one hides neither the others nor the target', () => {
    const bad = withCanaries('digits.take(200) { mislabel: maybe, repeat: -2 }').replace(
      'target victim { model mlp',
      'target victim { model mpl',
    );
    const ds = check(bad).filter((d) => d.severity === 'error');
    expect(ds.map((d) => d.code)).toEqual(['E202', 'E113', 'E111']);
    expect(ds[2]?.message).toBe('The repeat of the canaries of target "victim" must be at least 1, not -2.');
    expect(ds[2]?.range.start).toMatchObject(pos(bad, '-2'));
  });

  it('counts canaries among the takes of their dataset', () => {
    const src = withCanaries('digits.take(9900)');
    expect(check(src).some((d) => d.severity === 'error' && /take/.test(d.message))).toBe(true);
  });
});
