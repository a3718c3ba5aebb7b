/**
 * Upper limits on sizes, far above any study these machines can run but low enough that a typo such
 * as `count 1e9` is caught by `mia check` instead of hanging the planner or running for years.
 */
export const LIMITS = {
  shadowCount: 4096, // the LiRA paper used 256 reference models
  epochs: 100_000,
  batch: 1_000_000,
  units: 65_536, // dense units, conv filters
  kernel: 64, // conv kernel and pooling sizes
  queries: 10_000, // augmented or noisy copies per record
  populationSize: 10_000_000,
  // The plan as a whole (src/check/plan-measure.ts): each a bound on the work or memory it implies.
  sweepPoints: 10_000, // points of a sweep's grid
  jobs: 100_000, // jobs of a plan, over every sweep point
  trainingRecords: 2_000_000, // records one model trains on, canary copies included (full MNIST: 60,000)
  trainingPasses: 10_000_000_000, // records × epochs over every model and sweep point (the quickstart: 270,000)
  queriesTotal: 100_000_000, // augmented copies queried by one attack, over the target and its shadow models
} as const;

export const fmtLimit = (n: number): string => n.toLocaleString('en-US');
