/**
 * A command of the `mia` CLI as data: its name, summary, usage line and typed options (node's
 * parseArgs config plus help text), and `run`, which gets the parsed values typed from that config.
 * The global help and each command's `--help` are printed from these objects.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggest } from '../check/index.js';
import { UsageError } from './errors.js';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  version: string;
  /** The arguments after `mia` (the command's name first), for what results record of their command line. */
  argv?: readonly string[];
}

/** One option: parseArgs' config, the placeholder of its value in help (e.g. "DIR"), and its help. */
type ParseArgsOption = NonNullable<ParseArgsConfig['options']>[string];
export type OptionSpec = ParseArgsOption & { value?: string; help: string };
export type OptionSpecs = Record<string, OptionSpec>;

type Config<O extends OptionSpecs> = { args: string[]; options: O; strict: true; allowPositionals: true };
/** What parseArgs returns for these options: a default makes a value present, `multiple` an array. */
export type Parsed<O extends OptionSpecs> = ReturnType<typeof parseArgs<Config<O>>>;

export interface Command<O extends OptionSpecs> {
  name: string;
  /** One line in `mia --help`. */
  summary: string;
  /** What follows `mia NAME` in its usage line, e.g. "FILE [options]". */
  usage: string;
  /** Lines `mia NAME --help` adds after the summary. */
  details?: string;
  options: O;
  run(parsed: Parsed<O>, io: Io): number | Promise<number>;
}

/** A command as the table holds it: its option types are closed over. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** "mia NAME USAGE" */
  readonly usage: string;
  help(): string;
  invoke(args: readonly string[], io: Io): Promise<number>;
}

export function defineCommand<const O extends OptionSpecs>(c: Command<O>): CommandEntry {
  return {
    name: c.name,
    summary: c.summary,
    usage: `mia ${c.name} ${c.usage}`,
    help: () => commandHelp(c),
    invoke: async (args, io) => c.run(parseOptions(c.options, args), io),
  };
}

function parseOptions<O extends OptionSpecs>(options: O, args: readonly string[]): Parsed<O> {
  try {
    return parseArgs<Config<O>>({
      args: negativeValuesInline(args, options),
      options,
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(parseProblem(e, options));
  }
}

/** parseArgs' message, shorter; an unknown option gets the nearest known one. */
function parseProblem(e: unknown, options: OptionSpecs): string {
  const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const unknown = /^Unknown option '(-{1,2})([^']*)'/.exec(message);
  if (!unknown) return message;
  const near = suggest(unknown[2] ?? '', Object.keys(options));
  return `Unknown option "${unknown[1]}${unknown[2]}".${near ? ` Did you mean "--${near}"?` : ''}`;
}

/**
 * `--jobs -1` as `--jobs=-1`: parseArgs reads a value starting with a dash as a missing value, so
 * the command could not say what is wrong with the number.
 */
function negativeValuesInline(args: readonly string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    const spec = a.startsWith('--') ? options[a.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

const column = (rows: readonly [string, string][]): string => {
  const width = Math.min(38, Math.max(...rows.map(([l]) => l.length)) + 2);
  return rows
    .map(([l, r]) => `  ${l.padEnd(width)}${l.length >= width ? `\n  ${' '.repeat(width)}` : ''}${r}\n`)
    .join('');
};

function optionRows(options: OptionSpecs): [string, string][] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const shown = typeof o.default === 'string' && !o.help.includes('(default') ? ` (default ${o.default})` : '';
    return [flag, `${o.help}${shown}${o.multiple && !o.help.includes('repeatable') ? '; repeatable' : ''}`];
  });
}

function commandHelp<O extends OptionSpecs>(c: Command<O>): string {
  const rows: [string, string][] = [...optionRows(c.options), ['-h, --help', 'this help']];
  return `usage: mia ${c.name} ${c.usage}\n\n${c.summary}\n${c.details ? `\n${c.details.trimEnd()}\n` : ''}\noptions:\n${column(rows)}`;
}

/** `mia --help`: every command of the table with its summary, and where to start. */
export function globalHelp(commands: readonly CommandEntry[]): string {
  const rows = commands.map((c): [string, string] => [c.usage.slice('mia '.length), c.summary]);
  return `usage: mia <command> [options]

commands:
${column(rows)}
get started:   mia run experiments/quickstart.mia
options:       mia <command> --help
version:       mia --version
`;
}
