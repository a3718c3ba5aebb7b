/** The population attack (Ye et al.'s attack P): the target's loss against its losses on population data. */
import { populationAttack, populationScores } from '../population.js';
import { lossAt, mapRows } from '../signals-input.js';
import { defineAttack } from '../kind.js';

export const population = defineAttack({
  kind: 'population',
  summary: "Compares each record's loss with the target's losses on population data (no shadow models).",
  version: 1,
  settings: {
    population: { type: 'data', doc: "Records from the target's distribution, neither members nor non-members." },
  },
  needsProbabilities: true,
  population: (s) => ({ subset: s.population, poolOf: null, size: null }),
  score: (ctx) => populationAttack(ctx),
  fromSignals(env) {
    if (env.population.length === 0) {
      env.skip('no population records (member −1).');
      return [];
    }
    const { target, labels } = env.input;
    const loss = (r: number): number => lossAt(target, r, labels);
    return [
      {
        name: 'population',
        kind: 'population',
        scores: populationScores(mapRows(loss, env.scored), mapRows(loss, env.population)),
      },
    ];
  },
});
