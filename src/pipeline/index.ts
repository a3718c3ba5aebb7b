/**
 * The pipeline every command shares: load (read, parse, check with imports) → gate (what mia can
 * run) → plan (compile on a backend), the phases after the load a table (phases.ts) with one stop policy.
 * Each returns its value with diagnostics, or throws a UsageError/UserError for what is not a diagnostic
 * (a missing file, a data file that cannot be read, an unavailable backend).
 * Commands print; the pipeline does not.
 */
export { UsageError, UserError } from './errors.js';
export { loadSource, loadSpec, type Loaded, type LoadOptions } from './load.js';
export {
  backendOrExplain,
  datasetInfos,
  datasetInfosOrExplain,
  defaultCacheDir,
  gateSpec,
  type Gated,
  planSpec,
} from './plan.js';
export { advance, PHASES, stops, type Phase, type PhaseName, type PhaseOptions, type SpecState } from './phases.js';
export type { Staged } from '../lang/index.js';
export { decodeSpec, fileHost, readSpec, readSpecOrRevision, SpecTextError } from './read.js';
export { kernelFileSystem, requireRegularFile, requireWritableFolder, type FolderRole } from './places.js';
