/** Models: layers and training settings. */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { LayerDef, ModelDef, OptimizerDef, TrainDef } from '../../kinds/program.js';
import { callParts, params, type CallParts } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readLayer } from './layers.js';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;

/** A block value read like a call's block: `{ patience: 3 }`. */
export function partsOf(e: Expr): CallParts | null {
  if (e.kind === 'block') return { name: '', nameRange: e.range, args: [], block: e.block, range: e.range };
  return callParts(e);
}

export function readModel(ctx: ReadContext, m: Extract<Item, { kind: 'model' }>): ModelDef | undefined {
  const { r, loc } = ctx;
  const what = `model "${m.name}"`;
  const es = r.entries(m.body, what, ['layers', 'train']);
  const layersE = r.required(es, 'layers', `The ${what}`, m.nameRange);
  const trainE = r.required(es, 'train', `The ${what}`, m.nameRange);
  const fields: Record<string, Range> = { name: m.nameRange };
  const layers = layersE ? readLayers(ctx, layersE.value, fields) : undefined;
  const train = trainE ? readTrain(ctx, trainE.value, what) : undefined;
  if (!layers || !train) return undefined;
  const def: ModelDef = { name: m.name, layers, train, file: r.file, range: m.range };
  loc.put(def, r.file, m.range, fields);
  return def;
}

function readLayers(ctx: ReadContext, e: Expr, fields: Record<string, Range>): LayerDef[] | undefined {
  const { r } = ctx;
  const items = r.list(e, 'layers');
  if (!items) return undefined;
  fields.layers = e.range;
  if (items.length === 0) {
    r.error('E171', 'layers must not be empty, e.g. [dense(128, relu), dense(classes, softmax)].', e.range);
    return undefined;
  }
  const out: LayerDef[] = [];
  let ok = true;
  for (const [i, item] of items.entries()) {
    const layer = readLayer(ctx, item, fields, i);
    if (layer) {
      out.push(layer);
      fields[`layers.${i}`] = item.range;
    } else ok = false;
  }
  return ok ? out : undefined;
}

function readTrain(ctx: ReadContext, e: Expr, what: string): TrainDef | undefined {
  const { r, loc } = ctx;
  const b = r.block(e, `The training settings of ${what}`);
  if (!b) return undefined;
  const w = `the training settings of ${what}`;
  const es = r.entries(b, w, ['optimizer', 'epochs', 'batch', 'l2', 'early_stopping', 'label_smoothing']);
  const fields: Record<string, Range> = {};
  for (const [k, en] of es) fields[k] = en.value.range;
  const epochsE = r.required(es, 'epochs', `The training settings of ${what}`, b.range);
  const optE = es.get('optimizer');
  const optimizer: OptimizerDef | undefined = optE
    ? readOptimizer(ctx, optE.value, fields)
    : { kind: 'adam', rate: 0.001 };
  const epochs = epochsE ? r.number(epochsE.value, 'epochs', { integer: true }) : undefined;
  const batchE = es.get('batch');
  const batch = batchE ? r.number(batchE.value, 'batch', { integer: true }) : 32;
  const l2E = es.get('l2');
  const l2 = l2E ? r.number(l2E.value, 'l2') : 0;
  const lsE = es.get('label_smoothing');
  const labelSmoothing = lsE ? r.number(lsE.value, 'label_smoothing', { percent: true }) : 0;
  let earlyStopping: TrainDef['earlyStopping'] | undefined = null;
  const esE = es.get('early_stopping');
  if (esE) {
    const c = partsOf(esE.value);
    if (!c || (c.name !== '' && c.name !== 'early_stopping')) {
      r.error('E114', 'early_stopping must be a block such as { patience: 3, validation: 10% }.', esE.value.range);
      earlyStopping = undefined;
    } else {
      const p = params(r, c, 'early_stopping', ['patience', 'validation'], []);
      const pa = p.get('patience');
      const va = p.get('validation');
      if (pa) fields['early_stopping.patience'] = pa.value.range;
      if (va) fields['early_stopping.validation'] = va.value.range;
      const patience = pa ? r.number(pa.value, 'The patience', { integer: true }) : 3;
      const validation = va ? r.number(va.value, 'The validation fraction', { percent: true }) : 0.1;
      earlyStopping = patience === undefined || validation === undefined ? undefined : { patience, validation };
    }
  }
  if (
    !optimizer ||
    epochs === undefined ||
    batch === undefined ||
    l2 === undefined ||
    labelSmoothing === undefined ||
    earlyStopping === undefined
  )
    return undefined;
  const def: TrainDef = { optimizer, epochs, batch, l2, earlyStopping, labelSmoothing };
  loc.put(def, r.file, b.range, fields);
  return def;
}

function readOptimizer(ctx: ReadContext, e: Expr, fields: Record<string, Range>): OptimizerDef | undefined {
  const { r } = ctx;
  const c = callParts(e);
  if (!c || !(OPTIMIZERS as readonly string[]).includes(c.name)) {
    r.error(
      'E170',
      `Unknown optimizer${c ? ` "${c.name}"` : ''}.${c ? didYouMean(c.name, OPTIMIZERS) : ''}`,
      c?.nameRange ?? e.range,
      'Use adam(rate), sgd(rate, momentum) or rmsprop(rate).',
    );
    return undefined;
  }
  const p = params(r, c, `the optimizer ${c.name}`, c.name === 'sgd' ? ['rate', 'momentum'] : ['rate'], []);
  const rateE = p.get('rate');
  if (rateE) fields['optimizer.rate'] = rateE.value.range;
  const rate = rateE ? r.number(rateE.value, 'The learning rate') : c.name === 'sgd' ? 0.01 : 0.001;
  if (rate === undefined) return undefined;
  if (c.name === 'adam') return { kind: 'adam', rate };
  if (c.name === 'rmsprop') return { kind: 'rmsprop', rate };
  const momE = p.get('momentum');
  if (momE) fields['optimizer.momentum'] = momE.value.range;
  const momentum = momE ? r.number(momE.value, 'The momentum') : 0;
  return momentum === undefined ? undefined : { kind: 'sgd', rate, momentum };
}
