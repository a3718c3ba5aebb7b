import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advance, loadSource, PHASES, planSpec, type SpecState } from '../../src/pipeline/index.js';
import { tempDir } from '../e2e/helpers.js';

const spec = (take: number): string => `experiment t { seed 1 }
dataset d = synthetic_purchase { records: 400, features: 20, classes: 4 }
model m { layers [dense(8, relu), dense(classes, softmax)] train { optimizer: adam(0.01), epochs: 3, batch: 16 } }
target victim { model m, members d.take(${take}), nonmembers d.take(60) }
attack loss = threshold { signal: loss }
`;

describe('the pipeline as a table of phases with one stop policy', () => {
  it('runs the gate, then the planner, in that order', () => {
    expect(PHASES.map((p) => p.name)).toEqual(['gate', 'plan']);
  });

  it('returns what the planner refuses as a diagnostic with its code and place, never as an exception', () => {
    delete process.env.MIA_PHASES_TEST_UNSET;
    const remote = `experiment t { seed 1 }
dataset d = synthetic_purchase { records: 400, features: 20, classes: 4 }
target api = remote {
  url: "http://127.0.0.1:9/v1/models/m:predict"
  budget: 1000
  members: d.take(30)
  nonmembers: d.take(30)
  headers: { Authorization: env("MIA_PHASES_TEST_UNSET") }
}
attack loss = threshold { signal: loss }
`;
    const loaded = loadSource('t.mia', remote);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const planned = planSpec(loaded, 'cpu', join(tempDir(), 'cache'));
    expect(planned.value).toBeNull();
    expect(planned.diagnostics).toHaveLength(1);
    const [d] = planned.diagnostics;
    expect(d!.code).toBe('E405');
    expect(d!.severity).toBe('error');
    expect(d!.file).toBe('t.mia');
    expect(d!.range.start.line).toBe(8); // the header whose variable has no value
    expect(d!.message).toMatch(/MIA_PHASES_TEST_UNSET/);
  });

  it('plans a spec the planner accepts, with no diagnostics', () => {
    const planned = planSpec(loadSource('t.mia', spec(60)), 'cpu', join(tempDir(), 'cache'));
    expect(planned.diagnostics).toEqual([]);
    expect(planned.value!.jobs.length).toBeGreaterThan(0);
  });

  it('runs no phase after an error: the compiler is never called for a spec the front end refused', () => {
    const loaded = loadSource('t.mia', spec(60).replace('signal: loss', 'signal: los'));
    expect(loaded.program).toBeNull();
    let called = 0;
    const state: SpecState = { ...loaded, diagnostics: [...loaded.diagnostics] };
    const added = advance(state, 'plan', {
      plan: {
        compile: () => {
          called++;
          return { value: null, diagnostics: [] };
        },
      },
    });
    expect(added).toEqual([]);
    expect(called).toBe(0);
    expect(state.plan).toBeUndefined();
  });

  it('stops after the phase named last', () => {
    const loaded = loadSource('t.mia', spec(60));
    const state: SpecState = { ...loaded, diagnostics: [...loaded.diagnostics] };
    advance(state, 'gate', { plan: { compile: () => ({ value: null, diagnostics: [] }) } });
    expect(state.runnable).toBe(loaded.program);
    expect(state.plan).toBeUndefined();
  });
});
