/** The commands of `mia`, in the order `mia --help` lists them. A new command: one file, one line here. */
import { attackCli } from './attack.js';
import { auditCli } from './audit-command.js';
import { cacheCli } from './cache-command.js';
import { checkCli } from './check.js';
import type { CommandEntry } from './command.js';
import { diffCli } from './diff-command.js';
import { dpEpsilonCli } from './dp-epsilon-command.js';
import { fmtCli } from './fmt.js';
import { lspCli } from './lsp-command.js';
import { planCli } from './plan-command.js';
import { compareCli, reportCli } from './report-command.js';
import { recordsCli } from './records-command.js';
import { runCli } from './run.js';
import { workerCli } from './worker-command.js';
import { serveCli } from './serve-command.js';

export const COMMANDS: readonly CommandEntry[] = [
  runCli,
  checkCli,
  fmtCli,
  planCli,
  diffCli,
  reportCli,
  compareCli,
  recordsCli,
  cacheCli,
  attackCli,
  auditCli,
  dpEpsilonCli,
  lspCli,
  workerCli,
  serveCli,
];
