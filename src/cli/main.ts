/**
 * The `mia` command line: finds the command in the table, prints help, runs it, turns errors into exit codes.
 * Everything a command writes through `out` and `err` passes `visible` first: control and bidi characters
 * from files, specs and APIs reach the terminal escaped (`\u001b`), whatever the message.
 */
import { suggest } from '../check/index.js';
import { globalHelp, type CommandEntry, type Io } from './command.js';
import { COMMANDS } from './commands.js';
import { UsageError, UserError } from './errors.js';
import { version } from './options.js';
import { oneLine, visible } from '../util/escape.js';
import { fileSystemProblem } from '../util/fs-errors.js';

const HELP = new Set(['help', '--help', '-h']);

export async function main(
  argv: string[],
  out = (s: string) => void process.stdout.write(s),
  err = (s: string) => void process.stderr.write(s),
): Promise<number> {
  const io: Io = { out: (s) => out(visible(s)), err: (s) => err(visible(s)), version: version(), argv };
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    out(globalHelp(COMMANDS));
    return 2;
  }
  if (HELP.has(cmd)) return help(rest[0], io);
  if (cmd === '--version' || cmd === '-v') {
    out(`${io.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === cmd);
  if (!command) return unknownCommand(cmd, io);
  if (rest.includes('--help') || rest.includes('-h')) {
    out(command.help());
    return 0;
  }
  try {
    return await command.invoke(rest, io);
  } catch (e) {
    return explain(e, command, io);
  }
}

/** `mia help [CMD]`: the global help, or one command's. */
function help(name: string | undefined, io: Io): number {
  if (name === undefined) {
    io.out(globalHelp(COMMANDS));
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) return unknownCommand(name, io);
  io.out(command.help());
  return 0;
}

function unknownCommand(name: string, io: Io): number {
  const near = suggest(
    name,
    COMMANDS.map((c) => c.name),
  );
  io.err(`mia: Unknown command "${name}".${near ? ` Did you mean "${near}"?` : ''}\nsee: mia --help\n`);
  return 2;
}

/** The exit code of an error a user can cause, after saying what it was; anything else is a bug and rethrown. */
function explain(e: unknown, command: CommandEntry, io: Io): number {
  if (e instanceof UsageError) {
    io.err(
      `mia: ${oneLine(e.message)}\n${e.usage ? `usage: ${command.usage}\nsee: mia ${command.name} --help\n` : ''}`,
    );
    return 2;
  }
  if (e instanceof UserError) {
    io.err(`mia: ${oneLine(e.message)}\n`);
    return 1;
  }
  const fs = fileSystemProblem(e);
  if (fs) {
    io.err(`mia: ${oneLine(fs)}\n`);
    return 1;
  }
  throw e;
}
