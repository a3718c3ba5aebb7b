/**
 * Reading: the AST of the main file and its imports → a draft typed program holding every definition
 * that reads cleanly, the locations of their fields, and the shape errors (unknown settings, wrong
 * types). Judging the values is left to the rules. Items the parser recovered are skipped.
 */
import type { Item, Program } from '../../lang/index.js';
import { Locations } from '../locations.js';
import type { DefenseDef, ReportDef, TypedProgram } from '../../kinds/program.js';
import { Reader } from './expr-reader.js';
import { readAttack } from './attacks.js';
import type { Decl, Declared, ReadContext } from './context.js';
import { readDataset } from './data.js';
import { readDefenseDecl } from './defenses.js';
import { readModel } from './models.js';
import { readExperiment, readReport, readSweep, type Experiment } from './report.js';
import { readExpectations, withExpectations } from './expect.js';
import type { ExpectationDef } from '../../kinds/expectations.js';
import { readShadows } from './shadows.js';
import { readTarget } from './targets.js';

export interface SourceItem {
  item: Item;
  file: string;
}

/** The typed program as read so far: experiment and report may be missing. */
export type Draft = Omit<TypedProgram, 'file' | 'experiment' | 'report'> & {
  experiment: Experiment | null;
  report: ReportDef | null;
};

export interface ReadResult {
  draft: Draft;
  loc: Locations;
  reader: Reader;
  decls: Map<string, Decl>;
  items: SourceItem[];
}

/** Imported files contribute their named declarations; their experiment, sweep and report are the main file's business. */
const IMPORTABLE = new Set<Item['kind']>(['dataset', 'model', 'target', 'shadows', 'attack', 'defense']);

export function readProgram(
  main: { file: string; ast: Program },
  imports: readonly { file: string; ast: Program }[],
): ReadResult {
  const reader = new Reader(main.file);
  const loc = new Locations();
  const all = sourceItems(main, imports);
  const decls = declarations(all);
  const ctx: ReadContext = { r: reader, loc, decls };
  const items = all.filter((s) => !s.item.recovered);
  const draft: Draft = {
    experiment: null,
    datasets: [],
    models: [],
    targets: [],
    shadows: [],
    attacks: [],
    sweep: [],
    report: null,
  };
  const defenses = lazyDefenses(ctx, items);
  const expectations: ExpectationDef[] = [];
  for (const { item, file } of items) {
    reader.file = file;
    readItem(ctx, item, draft, defenses, expectations);
  }
  draft.report = withExpectations(draft.report, expectations);
  reader.file = main.file;
  return { draft, loc, reader, decls, items };
}

/** The main file's items, then the importable declarations of each imported file. */
function sourceItems(
  main: { file: string; ast: Program },
  imports: readonly { file: string; ast: Program }[],
): SourceItem[] {
  return [
    ...main.ast.items.map((item) => ({ item, file: main.file })),
    ...imports.flatMap((m) =>
      m.ast.items.filter((i) => IMPORTABLE.has(i.kind)).map((item) => ({ item, file: m.file })),
    ),
  ];
}

/** Every named declaration by name (the first of a name wins; duplicates are a rule's business). */
function declarations(all: readonly SourceItem[]): Map<string, Decl> {
  const decls = new Map<string, Decl>();
  for (const { item, file } of all) {
    if ('name' in item && item.kind !== 'experiment' && item.name !== '' && !decls.has(item.name))
      decls.set(item.name, { item: item as Declared, file });
  }
  return decls;
}

/**
 * Each declared defense, read once on first use (by a target naming it or by its own declaration), in
 * its own file; a defense that names itself while being read reads as missing.
 */
function lazyDefenses(ctx: ReadContext, items: readonly SourceItem[]): Map<string, () => DefenseDef | undefined> {
  const reader = ctx.r;
  const defenseCache = new Map<string, DefenseDef | undefined | 'reading'>();
  const defenses = new Map<string, () => DefenseDef | undefined>();
  for (const { item, file } of items) {
    if (item.kind !== 'defense' || defenses.has(item.name)) continue;
    defenses.set(item.name, () => {
      const c = defenseCache.get(item.name);
      if (c === 'reading') return undefined;
      if (c !== undefined || defenseCache.has(item.name)) return c;
      defenseCache.set(item.name, 'reading');
      const prev = reader.file;
      reader.file = file;
      const d = readDefenseDecl(ctx, item);
      reader.file = prev;
      defenseCache.set(item.name, d);
      return d;
    });
  }
  return defenses;
}

/** Reads one item into the draft (the first experiment and report count; expectations are gathered). */
function readItem(
  ctx: ReadContext,
  item: Item,
  draft: Draft,
  defenses: ReadonlyMap<string, () => DefenseDef | undefined>,
  expectations: ExpectationDef[],
): void {
  const push = <T>(list: T[], d: T | undefined): void => {
    if (d) list.push(d);
  };
  switch (item.kind) {
    case 'experiment':
      if (!draft.experiment) draft.experiment = readExperiment(ctx, item) ?? null;
      return;
    case 'import':
      return;
    case 'dataset':
      push(draft.datasets, readDataset(ctx, item));
      return;
    case 'model':
      push(draft.models, readModel(ctx, item));
      return;
    case 'target':
      push(draft.targets, readTarget(ctx, item, defenses));
      return;
    case 'shadows':
      push(draft.shadows, readShadows(ctx, item));
      return;
    case 'attack':
      push(draft.attacks, readAttack(ctx, item));
      return;
    case 'defense':
      defenses.get(item.name)?.();
      return;
    case 'sweep':
      draft.sweep.push(...readSweep(ctx, item));
      return;
    case 'report':
      if (!draft.report) draft.report = readReport(ctx, item) ?? null;
      return;
    case 'expect':
      expectations.push(...readExpectations(ctx, item.body));
      return;
  }
}
