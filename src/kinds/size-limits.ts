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
} as const;

export const fmtLimit = (n: number): string => n.toLocaleString('en-US');
