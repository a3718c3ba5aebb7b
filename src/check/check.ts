/**
 * check: AST → typed program. Resolves names, reads every setting with its type and range, and
 * reports what is wrong as diagnostics. Items the parser had to recover are skipped.
 */
import type { Block, Diagnostic, Expr, Item, Program, Range, Result } from '../lang/index.js';
import type {
  Activation, AttackDef, DataOp, DataRef, DatasetDef, LayerDef, MetricSpec, ModelDef, OptimizerDef,
  ShadowsDef, Signal, SweepAxisDef, TargetDef, TrainDef, TypedProgram,
} from './program.js';
import { checkSweep } from './sweep.js';
import { callParts, Reader } from './reader.js';
import { didYouMean } from './suggest.js';

const ACTIVATIONS = ['relu', 'softmax', 'sigmoid', 'tanh', 'linear'] as const;
const SIGNALS = ['loss', 'confidence', 'entropy', 'modified_entropy'] as const;

type Declared = Extract<Item, { name: string }>;

export function check(ast: Program, file: string): Result<TypedProgram | null> {
  const r = new Reader(file);
  const items = ast.items.filter((i) => !i.recovered);
  const byKind = <K extends Item['kind']>(k: K): Extract<Item, { kind: K }>[] => items.filter((i): i is Extract<Item, { kind: K }> => i.kind === k);

  // Names: one namespace per declaration kind; duplicates are errors.
  const names = new Map<string, Declared>();
  for (const it of items) {
    if (!('name' in it) || it.kind === 'experiment') continue;
    const prev = names.get(`${it.kind}:${it.name}`);
    if (prev) r.error('E201', `The ${it.kind} "${it.name}" is declared twice (first at line ${prev.range.start.line}).`, it.nameRange, 'Rename one of them.');
    else names.set(`${it.kind}:${it.name}`, it);
  }
  const declared = (kind: Item['kind']): string[] => [...names.keys()].filter((k) => k.startsWith(`${kind}:`)).map((k) => k.slice(kind.length + 1));
  const resolve = (kind: Item['kind'], e: Expr, what: string): string | undefined => {
    const n = r.name(e, what);
    if (n === undefined) return undefined;
    if (!names.has(`${kind}:${n}`)) {
      r.error('E202', `Unknown ${kind} "${n}".${didYouMean(n, declared(kind))}`, e.range,
        declared(kind).length ? `Declared ${kind}s: ${declared(kind).join(', ')}.` : `Declare it first: ${kind} ${n} ...`);
      return undefined;
    }
    return n;
  };

  // experiment
  const exps = byKind('experiment');
  let experiment = { name: 'experiment', seed: 0 };
  if (exps.length === 0) r.error('E203', 'The file has no experiment declaration.', ast.range, 'Add one at the top: experiment NAME { seed 1 }');
  for (const extra of exps.slice(1)) r.error('E201', 'There is more than one experiment declaration.', extra.range, 'Keep one.');
  const exp = exps[0];
  if (exp) {
    const m = r.entries(exp.body ?? { entries: [], range: exp.range }, `experiment "${exp.name}"`, ['seed']);
    const seedE = m.get('seed');
    const seed = seedE ? r.number(seedE.value, 'The seed', { integer: true, min: 0, max: 2 ** 32 - 1 }) : 0;
    experiment = { name: exp.name, seed: seed ?? 0 };
  }

  for (const it of [...byKind('import'), ...byKind('defense')]) {
    r.error('E901', `"${it.kind}" is not supported yet.`, it.range, 'Remove it for now; it is planned.');
  }

  const dataRef = (e: Expr, what: string): DataRef | undefined => {
    const ops: DataOp[] = [];
    const { base: cur, chain } = subsetChain(e);
    const ds = resolve('dataset', cur, what);
    if (ds === undefined) return undefined;
    for (const link of chain) {
      const op = link.name;
      const args = link.args ?? [];
      if (op === 'take') {
        if (link.args === null || args.length !== 1) { r.error('E120', `take needs one argument, the number of records: ${ds}.take(1000).`, link.range); return undefined; }
        const n = r.number(args[0]!, 'The number of records to take', { integer: true, min: 1 });
        if (n === undefined) return undefined;
        ops.push({ op: 'take', n });
      } else if (op === 'rest') {
        ops.push({ op: 'rest' });
      } else {
        r.error('E121', `Unknown subset "${op}" of dataset "${ds}".${didYouMean(op, ['take', 'rest'])}`, link.range, 'Use take(n) or rest.');
        return undefined;
      }
    }
    if (ops.length > 1) { r.error('E122', 'Only one subset operation (take or rest) is supported on a dataset so far.', e.range); return undefined; }
    return { dataset: ds, ops, range: e.range };
  };

  const datasets: DatasetDef[] = [];
  for (const d of byKind('dataset')) {
    const c = callParts(d.value);
    if (!c) { r.error('E130', `The dataset "${d.name}" must be a data source such as mnist.`, d.value.range); continue; }
    if (c.name === 'mnist') datasets.push({ name: d.name, source: { kind: 'mnist' }, file, range: d.range });
    else r.error('E131', `Unknown data source "${c.name}".${didYouMean(c.name, ['mnist'])}`, c.nameRange, 'Use mnist.');
  }

  const models: ModelDef[] = [];
  for (const m of byKind('model')) {
    const what = `model "${m.name}"`;
    const es = r.entries(m.body, what, ['layers', 'train']);
    const layersE = r.required(es, 'layers', `The ${what}`, m.nameRange);
    const trainE = r.required(es, 'train', `The ${what}`, m.nameRange);
    const layers = layersE ? readLayers(r, layersE.value) : undefined;
    const train = trainE ? readTrain(r, trainE.value, what) : undefined;
    if (layers && train) models.push({ name: m.name, layers, train, range: m.range });
  }

  const targets: TargetDef[] = [];
  for (const t of byKind('target')) {
    const what = `target "${t.name}"`;
    if (t.value.kind !== 'block') { r.error('E901', 'Targets other than local models are not supported yet.', t.value.range, 'Write target NAME { model M, members ..., nonmembers ... }.'); continue; }
    const es = r.entries(t.value.block, what, ['model', 'members', 'nonmembers']);
    const modelE = r.required(es, 'model', `The ${what}`, t.nameRange);
    const memE = r.required(es, 'members', `The ${what}`, t.nameRange);
    const nonE = r.required(es, 'nonmembers', `The ${what}`, t.nameRange);
    const model = modelE ? resolve('model', modelE.value, 'The target\'s model') : undefined;
    const members = memE ? dataRef(memE.value, 'The members') : undefined;
    const nonmembers = nonE ? dataRef(nonE.value, 'The non-members') : undefined;
    if (model && members && nonmembers) targets.push({ kind: 'local', name: t.name, model, members, nonmembers, defenses: [], range: t.range });
  }
  if (targets.length === 0 && byKind('target').length === 0) r.error('E204', 'The file declares no target.', ast.range, 'Add one: target victim { model M, members D.take(1000), nonmembers D.take(1000) }');
  if (byKind('target').length > 1) r.error('E901', 'More than one target per experiment is not supported yet.', byKind('target')[1]!.range);

  const shadows: ShadowsDef[] = [];
  for (const s of byKind('shadows')) {
    const what = `shadows "${s.name}"`;
    const es = r.entries(s.body, what, ['model', 'count', 'pool', 'size', 'sampling']);
    const modelE = r.required(es, 'model', `The ${what}`, s.nameRange);
    const countE = r.required(es, 'count', `The ${what}`, s.nameRange);
    const poolE = r.required(es, 'pool', `The ${what}`, s.nameRange);
    const sizeE = r.required(es, 'size', `The ${what}`, s.nameRange);
    const samplingE = es.get('sampling');
    const model = modelE ? resolve('model', modelE.value, 'The shadow model') : undefined;
    const count = countE ? r.number(countE.value, 'The shadow count', { integer: true, min: 1 }) : undefined;
    const pool = poolE ? dataRef(poolE.value, 'The shadow pool') : undefined;
    const size = sizeE ? r.number(sizeE.value, 'The shadow size', { integer: true, min: 1 }) : undefined;
    const sampling = samplingE ? r.oneOf(samplingE.value, 'sampling', ['overlapping', 'disjoint'] as const) : 'overlapping';
    if (model && count !== undefined && pool && size !== undefined && sampling) shadows.push({ name: s.name, model, count, pool, size, sampling, range: s.range });
  }

  const attacks: AttackDef[] = [];
  for (const a of byKind('attack')) {
    const c = callParts(a.value);
    if (!c) { r.error('E140', `The attack "${a.name}" must name an attack kind, e.g. threshold { signal: loss }.`, a.value.range); continue; }
    const body: Block = c.block ?? { entries: [], range: a.value.range };
    const what = `attack "${a.name}"`;
    if (c.name === 'threshold') {
      const es = r.entries(body, what, ['signal']);
      const sigE = es.get('signal');
      const signal: Signal | undefined = sigE ? r.oneOf(sigE.value, 'signal', SIGNALS) : 'loss';
      if (signal) attacks.push({ kind: 'threshold', name: a.name, signal, calibration: 'global', shadows: null, range: a.range });
    } else if (c.name === 'shadow_model') {
      const es = r.entries(body, what, ['shadows', 'per_class']);
      const shE = r.required(es, 'shadows', `The ${what}`, a.nameRange);
      const pcE = es.get('per_class');
      const sh = shE ? resolve('shadows', shE.value, 'The attack\'s shadows') : undefined;
      const perClass = pcE ? r.boolean(pcE.value, 'per_class') : true;
      if (sh && perClass !== undefined) {
        const def = shadows.find((s) => s.name === sh);
        if (def && def.count === 1) r.warn('W301', `The shadow-model attack "${a.name}" uses a single shadow model; with one, the original study saw chance-level results.`, shE!.value.range, 'Use count 4 or more.');
        attacks.push({ kind: 'shadow_model', name: a.name, shadows: sh, perClass, classifier: 'logistic', features: 'sorted', range: a.range });
      }
    } else {
      r.error('E141', `Unknown attack kind "${c.name}".${didYouMean(c.name, ['threshold', 'shadow_model'])}`, c.nameRange, 'Use threshold or shadow_model.');
    }
  }
  if (byKind('attack').length === 0) r.error('E205', 'The file declares no attack.', ast.range, 'Add one: attack loss = threshold { signal: loss }');

  const metrics: MetricSpec[] = [];
  const reports = byKind('report');
  for (const extra of reports.slice(1)) r.error('E201', 'There is more than one report declaration.', extra.range, 'Merge them.');
  if (reports[0]) {
    const es = r.entries(reports[0].body, 'the report', ['metrics']);
    const mE = es.get('metrics');
    if (mE) {
      if (mE.value.kind !== 'list') r.error('E150', 'The report\'s metrics must be a list, e.g. [auc, tpr@1%].', mE.value.range);
      else for (const item of mE.value.items) { const ms = readMetric(r, item); if (ms) metrics.push(ms); }
    }
  }
  if (metrics.length === 0) metrics.push({ kind: 'auc' }, { kind: 'tprAtFpr', fpr: 0.001 }, { kind: 'tprAtFpr', fpr: 0.01 }, { kind: 'tprAtFpr', fpr: 0.1 }, { kind: 'balanced_accuracy' }, { kind: 'advantage' });

  const sweep: SweepAxisDef[] = [];
  for (const sw of byKind('sweep')) {
    for (const axis of sw.axes) {
      if (axis.values.kind !== 'list') { r.error('E607', `The values of the sweep over "${axis.path.join('.')}" must be a list, e.g. [1, 2, 4].`, axis.values.range); continue; }
      const values: (number | string)[] = [];
      for (const v of axis.values.items) {
        if (v.kind === 'number' || v.kind === 'percent') values.push(v.value);
        else if (v.kind === 'ident') values.push(v.name);
        else if (v.kind === 'string') values.push(v.value);
        else r.error('E607', 'A sweep value must be a number or a name.', v.range);
      }
      sweep.push({ path: axis.path, values, range: axis.range });
    }
  }

  const value: TypedProgram = { file, experiment, datasets, models, targets, shadows, attacks, sweep, report: { metrics, plots: [] } };
  if (!r.diagnostics.some((d) => d.severity === 'error')) r.diagnostics.push(...checkSweep(value));
  const diagnostics: Diagnostic[] = r.diagnostics;
  return { value: diagnostics.some((d) => d.severity === 'error') ? null : value, diagnostics };
}

/** `digits.take(10).rest` → base `digits` and the links [take(10), rest]. */
function subsetChain(e: Expr): { base: Expr; chain: { name: string; args: Expr[] | null; range: Range }[] } {
  if (e.kind === 'member') {
    const inner = subsetChain(e.object);
    return { base: inner.base, chain: [...inner.chain, { name: e.property, args: null, range: e.range }] };
  }
  if (e.kind === 'call' && e.callee.kind === 'member' && e.block === null) {
    const inner = subsetChain(e.callee.object);
    return { base: inner.base, chain: [...inner.chain, { name: e.callee.property, args: e.args.map((a) => a.value), range: e.range }] };
  }
  return { base: e, chain: [] };
}

function readLayers(r: Reader, e: Expr): LayerDef[] | undefined {
  if (e.kind !== 'list' || e.items.length === 0) { r.error('E160', 'layers must be a non-empty list, e.g. [dense(128, relu), dense(classes, softmax)].', e.range); return undefined; }
  const out: LayerDef[] = [];
  for (const item of e.items) {
    const c = callParts(item);
    if (!c || c.name !== 'dense') {
      r.error('E161', `Unknown layer${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, ['dense']) : ''}`, item.range, 'Only dense(units, activation) layers are supported so far.');
      return undefined;
    }
    const [unitsE, actE] = c.args;
    if (!unitsE) { r.error('E162', 'dense needs a number of units: dense(128, relu).', item.range); return undefined; }
    const units = unitsE.kind === 'ident' && unitsE.name === 'classes' ? 'classes' as const : r.number(unitsE, 'The number of units', { integer: true, min: 1 });
    const activation: Activation | undefined = actE ? r.oneOf(actE, 'activation', ACTIVATIONS) : 'linear';
    if (units === undefined || activation === undefined) return undefined;
    out.push({ kind: 'dense', units, activation });
  }
  return out;
}

function readTrain(r: Reader, e: Expr, what: string): TrainDef | undefined {
  const b = r.block(e, `The training settings of ${what}`);
  if (!b) return undefined;
  const es = r.entries(b, `the training settings of ${what}`, ['optimizer', 'epochs', 'batch']);
  const optE = es.get('optimizer');
  const epochsE = r.required(es, 'epochs', `The training settings of ${what}`, b.range);
  const batchE = es.get('batch');
  let optimizer: OptimizerDef | undefined = { kind: 'adam', rate: 0.001 };
  if (optE) optimizer = readOptimizer(r, optE.value);
  const epochs = epochsE ? r.number(epochsE.value, 'epochs', { integer: true, min: 1 }) : undefined;
  const batch = batchE ? r.number(batchE.value, 'batch', { integer: true, min: 1 }) : 32;
  if (!optimizer || epochs === undefined || batch === undefined) return undefined;
  return { optimizer, epochs, batch, l2: 0, earlyStopping: null, labelSmoothing: 0 };
}

function readOptimizer(r: Reader, e: Expr): OptimizerDef | undefined {
  const c = callParts(e);
  const kinds = ['adam', 'sgd'] as const;
  if (!c || !(kinds as readonly string[]).includes(c.name)) {
    r.error('E170', `Unknown optimizer${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, kinds) : ''}`, e.range, 'Use adam(rate) or sgd(rate, momentum).');
    return undefined;
  }
  const rateE = c.args[0] ?? c.named.get('rate');
  const rate = rateE ? r.number(rateE, 'The learning rate', { minExclusive: 0 }) : c.name === 'adam' ? 0.001 : 0.01;
  if (rate === undefined) return undefined;
  if (c.name === 'adam') return { kind: 'adam', rate };
  const momE = c.args[1] ?? c.named.get('momentum');
  const momentum = momE ? r.number(momE, 'The momentum', { min: 0, max: 1 }) : 0;
  if (momentum === undefined) return undefined;
  return { kind: 'sgd', rate, momentum };
}

function readMetric(r: Reader, e: Expr): MetricSpec | undefined {
  if (e.kind === 'at') {
    if (e.left.kind !== 'ident' || e.left.name !== 'tpr') { r.error('E151', 'Only tpr@LEVEL% metrics take a level.', e.range); return undefined; }
    const lv = e.level;
    const fpr = lv.kind === 'percent' ? lv.value : lv.kind === 'number' ? lv.value : NaN;
    if (!(fpr > 0 && fpr < 1) || Number.isNaN(fpr)) {
      r.error('E152', 'The FPR level of tpr@ must lie strictly between 0% and 100%.', lv.range, 'Write it as a percentage, e.g. tpr@1%.');
      return undefined;
    }
    return { kind: 'tprAtFpr', fpr };
  }
  const n = r.oneOf(e, 'metric', ['auc', 'balanced_accuracy', 'advantage'] as const);
  return n === undefined ? undefined : { kind: n };
}

export type { Range };
