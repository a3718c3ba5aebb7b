/**
 * Architectures: layer definitions from the spec → a tfjs-layers model that outputs logits. A final
 * softmax in the spec is applied outside the model (in the loss, and on the host when querying), which
 * is numerically stabler and lets attacks read logits.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { match } from 'ts-pattern';
import type { Activation, LayerDef } from '../check/index.js';

export interface ArchitectureInput { layers: LayerDef[]; inputShape: number[]; classes: number; seed: number }

const act = (a: Activation): 'relu' | 'sigmoid' | 'tanh' | 'linear' | 'softmax' => a;

export function buildModel(spec: ArchitectureInput): tfl.Sequential {
  const model = tfl.sequential();
  let seedCounter = 0;
  const kernelInit = () => tfl.initializers.glorotUniform({ seed: (spec.seed + 7919 * ++seedCounter) >>> 0 });
  const flat = spec.inputShape.length > 1;
  if (flat) model.add(tfl.layers.flatten({ inputShape: spec.inputShape }));
  spec.layers.forEach((layer, i) => {
    const last = i === spec.layers.length - 1;
    const first = i === 0 && !flat;
    match(layer)
      .with({ kind: 'dense' }, (l) => {
        const units = l.units === 'classes' ? spec.classes : l.units;
        const activation = last && l.activation === 'softmax' ? 'linear' : act(l.activation);
        model.add(tfl.layers.dense({
          units, activation, kernelInitializer: kernelInit(), biasInitializer: 'zeros',
          ...(first ? { inputShape: spec.inputShape } : {}),
        }));
      })
      .exhaustive();
  });
  return model;
}
