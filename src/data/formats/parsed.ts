/** What every format function returns: the dataset and notes for the user (what was read, dropped, filled in). */
import type { Dataset } from '../dataset.js';

export interface Parsed {
  dataset: Dataset;
  /** Full sentences for the user, e.g. which CIFAR batches were read or how many CSV rows were dropped. */
  notes: string[];
}

/** 32,561 → "32,561". */
export const count = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
