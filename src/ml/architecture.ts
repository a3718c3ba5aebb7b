/**
 * Architectures: layer definitions from the spec → a tfjs-layers model that outputs logits. Each layer
 * builds from its kind's descriptor (ml/layers/). A final softmax in the spec is applied outside the
 * model (in the loss, and on the host when querying), which is numerically stabler and lets attacks read
 * logits. Dense layers on image data get a flatten first.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerDef } from '../kinds/program.js';
import { type BuildContext, layerKind } from './layers/index.js';

export interface ArchitectureInput {
  layers: LayerDef[];
  inputShape: number[];
  classes: number;
  seed: number;
}

/** The context the layers build in: the seed sequence, the first layer's input shape, the rank so far. */
function buildContext(spec: ArchitectureInput): BuildContext {
  let seedCounter = 0;
  let first = true;
  const nextSeed = (): number => (spec.seed + 7919 * ++seedCounter) >>> 0;
  return {
    nextSeed,
    kernelInit: () => tfl.initializers.glorotUniform({ seed: nextSeed() }),
    input: () => {
      if (!first) return {};
      first = false;
      return { inputShape: spec.inputShape };
    },
    rank: spec.inputShape.length,
    classes: spec.classes,
    last: false,
    lastOfKind: false,
  };
}

export function buildModel(spec: ArchitectureInput): tfl.Sequential {
  const model = tfl.sequential();
  const ctx = buildContext(spec);
  const kinds = spec.layers.map((l) => l.kind);
  spec.layers.forEach((layer, i) => {
    const kind = layerKind(layer.kind);
    if (!kind) throw new Error(`Unknown layer kind "${layer.kind}".`);
    ctx.last = i === spec.layers.length - 1;
    ctx.lastOfKind = i === kinds.lastIndexOf(layer.kind);
    for (const l of kind.build(layer, ctx)) model.add(l);
    if (kind.rankAfter !== undefined) ctx.rank = kind.rankAfter;
  });
  return model;
}
