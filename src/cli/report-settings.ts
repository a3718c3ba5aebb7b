/**
 * The report block of the run behind a results.json, read again from the spec's text its provenance
 * keeps (the spec and its imports, nothing from disk): `mia report DIR` draws the page with the metrics
 * and plots the run's page had. Without provenance, or when that text no longer checks, the defaults.
 */
import { posix } from 'node:path';
import type { MetricSpec, PlotSpec } from '../check/index.js';
import type { ModuleHost } from '../check/index.js';
import { loadSource } from '../pipeline/index.js';
import type { ResultsJson } from '../report/index.js';

const ROOT = '/spec';

export function reportSettingsOf(r: ResultsJson): { metrics: MetricSpec[]; plots: PlotSpec[] } {
  const none = { metrics: [], plots: [] };
  const files = r.provenance?.spec.files ?? [];
  const main = files[0];
  if (!main) return none;
  const texts = new Map(files.map((f) => [posix.join(ROOT, f.path), f.text]));
  const host: ModuleHost = {
    resolve: (from, spec) => posix.normalize(posix.join(posix.dirname(from), spec)),
    read: (file) => texts.get(file),
  };
  try {
    const loaded = loadSource(posix.join(ROOT, main.path), main.text, host);
    const report = loaded.program?.report;
    return report ? { metrics: report.metrics, plots: report.plots } : none;
  } catch {
    return none; // a spec that no longer reads: the page as without provenance
  }
}
