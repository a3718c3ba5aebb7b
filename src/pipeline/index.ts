/**
 * The pipeline every command shares: load (read, parse, check with imports) → gate (what mia can
 * run) → plan (compile on a backend). Each stage returns its value with diagnostics, or throws a
 * UsageError/UserError for what is not a diagnostic (a missing file, an unavailable backend).
 * Commands print; the pipeline does not.
 */
export { UsageError, UserError } from './errors.js';
export { loadSource, loadSpec, type Loaded, type LoadOptions } from './load.js';
export {
  backendOrExplain,
  compileOrExplain,
  datasetInfos,
  datasetInfosOrExplain,
  defaultCacheDir,
  gateSpec,
  planSpec,
  type Staged,
} from './plan.js';
export { decodeSpec, fileHost, readSpec, readSpecOrRevision, SpecTextError } from './read.js';
export { kernelFileSystem, requireRegularFile, requireWritableFolder, type FolderRole } from './places.js';
