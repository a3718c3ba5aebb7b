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
  const all: SourceItem[] = [
    ...main.ast.items.map((item) => ({ item, file: main.file })),
    ...imports.flatMap((m) =>
      m.ast.items.filter((i) => IMPORTABLE.has(i.kind)).map((item) => ({ item, file: m.file })),
    ),
  ];
  const decls = new Map<string, Decl>();
  for (const { item, file } of all) {
    if ('name' in item && item.kind !== 'experiment' && item.name !== '' && !decls.has(item.name))
      decls.set(item.name, { item: item as Declared, file });
  }
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
  const at = (file: string): void => {
    reader.file = file;
  };

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
      at(file);
      const d = readDefenseDecl(ctx, item);
      at(prev);
      defenseCache.set(item.name, d);
      return d;
    });
  }

  const expectations: ExpectationDef[] = [];
  for (const { item, file } of items) {
    at(file);
    switch (item.kind) {
      case 'experiment':
        if (!draft.experiment) draft.experiment = readExperiment(ctx, item) ?? null;
        break;
      case 'import':
        break;
      case 'dataset': {
        const d = readDataset(ctx, item);
        if (d) draft.datasets.push(d);
        break;
      }
      case 'model': {
        const d = readModel(ctx, item);
        if (d) draft.models.push(d);
        break;
      }
      case 'target': {
        const d = readTarget(ctx, item, defenses);
        if (d) draft.targets.push(d);
        break;
      }
      case 'shadows': {
        const d = readShadows(ctx, item);
        if (d) draft.shadows.push(d);
        break;
      }
      case 'attack': {
        const d = readAttack(ctx, item);
        if (d) draft.attacks.push(d);
        break;
      }
      case 'defense':
        defenses.get(item.name)?.();
        break;
      case 'sweep':
        draft.sweep.push(...readSweep(ctx, item));
        break;
      case 'report':
        if (!draft.report) draft.report = readReport(ctx, item) ?? null;
        break;
      case 'expect':
        expectations.push(...readExpectations(ctx, item.body));
        break;
    }
  }
  draft.report = withExpectations(draft.report, expectations);
  at(main.file);
  return { draft, loc, reader, decls, items };
}
