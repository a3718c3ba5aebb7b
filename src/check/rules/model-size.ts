/**
 * E342 / W340: a model's size. Its parameter count and training memory are estimated from its layers
 * and the shape of the data it trains on (MNIST 28×28×1, CIFAR-10 32×32×3, synthetic_purchase its
 * features; for files, unknown until loaded, from the layers alone, as a lower bound). Training memory:
 * 16 bytes a parameter (weights, gradients, Adam's two moments, float32) plus the activations of one
 * batch, kept for the backward pass. More than the machine's memory is an error; above 100 M
 * parameters, a warning.
 */
import { totalmem } from 'node:os';
import { type DatasetSource, type LayerDef, type ModelDef, trainedShadows } from '../../kinds/program.js';
import { layerKind } from '../../ml/layers/index.js';
import type { Rule } from './rule.js';
import { dataSourceKind } from '../../data/sources/index.js';
import { trainedModel } from '../read/target-sources/index.js';

export const PARAMETER_WARNING = 100_000_000;

interface Shape {
  dims: number[];
  known: boolean;
}

/** The record shape and class count the descriptor knows before loading; files give a lower bound. */
function inputOf(s: DatasetSource): Shape & { classes: number } {
  const known = dataSourceKind(s.kind)?.shape?.(s.settings) ?? null;
  if (known) return { dims: known.dims, known: true, classes: known.classes };
  return dataSourceKind(s.kind)?.modality(s.settings) === 'image'
    ? { dims: [1, 1, 1], known: false, classes: 2 }
    : { dims: [1], known: false, classes: 2 };
}

/** Parameters and the activations one record leaves for the backward pass. */
export function modelSize(layers: readonly LayerDef[], input: number[], classes: number) {
  let dims = input.slice();
  let params = 0;
  let activations = dims.reduce((a, b) => a * b, 1);
  for (const l of layers) {
    const kind = layerKind(l.kind);
    params += kind?.params?.(l, dims, classes) ?? 0;
    // A window that leaves no pixel (refused at plan time) still counts one.
    if (kind?.shape) dims = kind.shape(l, dims, classes).map((d, j) => (kind.window && j < 2 ? Math.max(1, d) : d));
    activations += dims.reduce((a, b) => a * b, 1);
  }
  return { params, activations };
}

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GB`;
const millions = (n: number): string =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(1)} billion`
    : n >= 1e6
      ? `${(n / 1e6).toFixed(1)} million`
      : n.toLocaleString('en-US');

export const modelSizeRule: Rule = {
  name: 'model-size',
  codes: ['E342', 'W340'],
  run(ctx) {
    const p = ctx.program;
    const uses = [
      ...p.targets.flatMap((t) => {
        const model = trainedModel(t);
        return model !== null ? [{ model, dataset: t.members.dataset }] : [];
      }),
      ...trainedShadows(p.shadows).map((s) => ({ model: s.model, dataset: s.pool.dataset })),
    ];
    const done = new Set<string>();
    const memory = totalmem();
    for (const u of uses) {
      const m: ModelDef | undefined = p.models.find((x) => x.name === u.model);
      const ds = p.datasets.find((d) => d.name === u.dataset);
      if (!m || !ds || done.has(m.name)) continue;
      done.add(m.name);
      const input = inputOf(ds.source);
      const { params, activations } = modelSize(m.layers, input.dims, input.classes);
      const bytes = 16 * params + 8 * activations * m.train.batch;
      const what = `${input.known ? '' : 'at least '}${millions(params)} parameters`;
      const on = `trained on "${ds.name}" (${ds.source.kind})`;
      if (bytes > memory)
        ctx.error(
          'E342',
          `Model "${m.name}" has ${what} ${on}; training it needs about ${gb(bytes)}, more than this machine's ${gb(memory)} of memory.`,
          ctx.loc.of(m, 'layers'),
          'Use fewer or smaller layers (a dense layer of n units after one of k costs n·k parameters).',
        );
      else if (params > PARAMETER_WARNING)
        ctx.warn(
          'W340',
          `Model "${m.name}" has ${what} ${on} (training needs about ${gb(bytes)}); training will be slow.`,
          ctx.loc.of(m, 'layers'),
          `Models above ${millions(PARAMETER_WARNING)} parameters rarely suit a membership audit on this data.`,
        );
    }
  },
};
