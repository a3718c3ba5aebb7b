/** Models: layers and training settings. */
import type { Expr, Item, Range } from '../../lang/index.js';
import type { LayerDef, ModelDef, TrainDef } from '../../kinds/program.js';
import { TRAIN_SCHEMA, trainDefOf } from '../../ml/train-settings/index.js';
import type { CallParts } from './expr-reader.js';
import type { ReadContext } from './context.js';
import { readLayer } from './layers.js';
import { readSettings } from './settings.js';

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

/** A model's `train { ... }` block, read against the training settings' schema (src/ml/train-settings/). */
function readTrain(ctx: ReadContext, e: Expr, what: string): TrainDef | undefined {
  const { r, loc } = ctx;
  const b = r.block(e, `The training settings of ${what}`);
  if (!b) return undefined;
  const c: CallParts = { name: '', nameRange: b.range, args: [], block: b, range: b.range };
  const w = `the training settings of ${what}`;
  const read = readSettings(ctx, c, TRAIN_SCHEMA, [], w, `The training settings of ${what}`, b.range);
  if (!read.settings) return undefined;
  const def = trainDefOf(read.settings);
  loc.put(def, r.file, b.range, read.fields);
  return def;
}
