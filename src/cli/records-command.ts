/** `mia records DIR`: the most exposed records of each attack, from results.json (table, CSV or JSON). */
import { defineCommand } from './command.js';
import { UsageError, UserError } from './errors.js';
import { exposedRecords, readResults, recordsCsv, recordsTable, ResultsReadError } from '../report/index.js';
import { visible } from '../util/escape.js';
import { suggest } from '../check/index.js';

const FORMATS = ['table', 'csv', 'json'] as const;

function topOption(v: string | undefined): number {
  if (v === undefined) return 10;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--top takes a whole number of at least 1, not "${visible(v)}".`);
  return n;
}

export function recordsCommand(
  o: { where: string; top: number; attack?: string; format: string },
  out: (s: string) => void,
): number {
  if (!(FORMATS as readonly string[]).includes(o.format))
    throw new UsageError(`--format takes table, csv or json, not "${visible(o.format)}".`);
  let results: ReturnType<typeof readResults>;
  try {
    results = readResults(o.where);
  } catch (e) {
    if (e instanceof ResultsReadError) throw new UserError(e.message);
    throw e;
  }
  const names = [...new Set(results.results.runs.flatMap((r) => r.attacks.map((a) => a.name)))];
  if (o.attack !== undefined && !names.includes(o.attack)) {
    const near = suggest(o.attack, names);
    throw new UserError(
      `${results.path} has no attack "${visible(o.attack)}".${near ? ` Did you mean "${visible(near)}"?` : ''} Its attacks: ${names.map(visible).join(', ')}.`,
    );
  }
  const rows = exposedRecords(results.results, { top: o.top, attack: o.attack });
  if (o.format === 'json') out(`${JSON.stringify(rows)}\n`);
  else if (o.format === 'csv') out(recordsCsv(rows));
  else out(`${recordsTable(rows)}\n${legend(results.results.runs[0]?.attacks[0]?.exposure?.prior)}`);
  return 0;
}

const legend = (prior: number | undefined): string =>
  `rank 1 = the attack's highest score; member: 1 trained on, 0 not; risk: Pr(member | score)${prior === undefined ? '' : ` at prior ${prior}`} (Song & Mittal's privacy risk score).\n`;

export const recordsCli = defineCommand({
  name: 'records',
  summary: 'the records each attack finds most exposed, from results.json (DIR or the file)',
  usage: 'DIR [options]',
  options: {
    top: { type: 'string', value: 'N', help: 'how many records per attack (default 10)' },
    attack: { type: 'string', value: 'A', help: 'only this attack' },
    format: { type: 'string', value: 'table|csv|json', default: 'table', help: 'the output (default a table)' },
  },
  run: ({ values: v, positionals }, io) => {
    if (positionals.length !== 1) throw new UsageError('mia records takes one results folder.');
    return recordsCommand(
      { where: positionals[0]!, top: topOption(v.top), attack: v.attack, format: v.format },
      io.out,
    );
  },
});
