/**
 * Every results.json mia writes passes its schema's closed form (no field the schema does not name): the
 * writer checks it before writing, so every test that writes one checks it. These tests show the check bites.
 */
import { describe, expect, it } from 'vitest';
import { resultsToJson, type ResultsJson } from '../../src/report/index.js';
import { RESULTS_SCHEMA_CLOSED, resultsProblem } from '../../src/report/results-schema.js';
import { fixture } from './results-json.js';

const real = fixture();

describe('the writer checks results.json against the closed schema', () => {
  it('writes a real results.json (every block) unchanged', () => {
    expect(resultsProblem(real, RESULTS_SCHEMA_CLOSED)).toBeNull();
    expect(JSON.parse(resultsToJson(real as unknown as ResultsJson))).toEqual(real);
  });

  it('refuses to write a field the schema does not name, at any depth, naming it; readers accept it', () => {
    const runs = real.runs as { target: Record<string, unknown>; attacks: { metrics: Record<string, unknown> }[] }[];
    const cases: [unknown, string][] = [
      [{ ...real, newField: 1 }, 'newField is not a field mia knows'],
      [
        { ...real, runs: [{ ...runs[0]!, target: { ...runs[0]!.target, risk: [0.1] } }, ...runs.slice(1)] },
        'runs[0].target.risk is not a field mia knows',
      ],
    ];
    for (const [r, message] of cases) {
      expect(resultsProblem(r)).toBeNull();
      expect(() => resultsToJson(r as ResultsJson)).toThrow(message);
    }
  });

  it('checks what is written, after non-finite numbers become ±Number.MAX_VALUE', () => {
    const runs = structuredClone(real.runs) as { attacks: { metrics: { auc: number } }[] }[];
    runs[0]!.attacks[0]!.metrics.auc = Number.NaN;
    const text = resultsToJson({ ...real, runs } as unknown as ResultsJson);
    expect((JSON.parse(text) as { runs: typeof runs }).runs[0]!.attacks[0]!.metrics.auc).toBe(-Number.MAX_VALUE);
    expect(() => resultsToJson({ ...real, seed: 'seven' } as unknown as ResultsJson)).toThrow(
      'seed must be a number (it is a string)',
    );
  });
});
