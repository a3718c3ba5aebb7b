export * from './plan.js';
export { compile, CompileError, JOB_VERSIONS, attackShadows, releaseOf } from './compile.js';
export { contentHash, canonicalJson, sha256 } from './hash.js';
