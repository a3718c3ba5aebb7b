/**
 * The folders of src/, bottom to top: a folder may import its own files and those of folders on lower
 * rungs, never one on its rung's right-hand side or above (type imports, re-exports and dynamic imports
 * included), and folders on one rung never form a cycle. test/structure/folders.test.ts checks every
 * import of src/ against this list; the README's architecture section prints it. A new folder goes here.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['lang'], // the grammar, the parser, the AST and its diagnostics
  ['kinds'], // the program's vocabulary: typed declarations, settings schemas, expectations, size limits
  ['util', 'data', 'metrics', 'ml'], // seeded randomness and helpers; datasets; ROC metrics; tfjs models
  ['attacks'], // one descriptor per attack kind
  ['audit', 'defenses'], // privacy audits (ε lower bounds); one descriptor per defense
  ['check'], // reading a parsed program into typed declarations, and the checker's rules
  ['plan'], // compiling a typed program into content-hashed jobs
  ['pipeline'], // read → check → plan for a .mia file
  ['run'], // the cache, the scheduler, the worker pool, the executor's events and the run-state reducer
  ['report'], // results.json, report.html, expectations' evaluation
  ['ui'], // the reporters (Ink, plain lines, JSON lines) over the run state
  ['api'], // the library: parse, check, plan, run, score signals, audit, read and compare results
  ['cli'], // the commands
  ['.'], // src/index.ts: the package's entry point
];
