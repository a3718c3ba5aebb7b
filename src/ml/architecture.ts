/**
 * Architectures: layer definitions from the spec → a tfjs-layers model that outputs logits. A final
 * softmax in the spec is applied outside the model (in the loss, and on the host when querying), which
 * is numerically stabler and lets attacks read logits. Dense layers on image data get a flatten first.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { match } from 'ts-pattern';
import type { LayerDef } from '../kinds/program.js';

export interface ArchitectureInput {
  layers: LayerDef[];
  inputShape: number[];
  classes: number;
  seed: number;
}

export function buildModel(spec: ArchitectureInput): tfl.Sequential {
  const model = tfl.sequential();
  let seedCounter = 0;
  const nextSeed = (): number => (spec.seed + 7919 * ++seedCounter) >>> 0;
  const kernelInit = () => tfl.initializers.glorotUniform({ seed: nextSeed() });
  let rank = spec.inputShape.length;
  let first = true;
  const input = (): { inputShape?: number[] } => {
    if (!first) return {};
    first = false;
    return { inputShape: spec.inputShape };
  };
  const lastDense = spec.layers.map((l) => l.kind).lastIndexOf('dense');
  spec.layers.forEach((layer, i) => {
    match(layer)
      .with({ kind: 'dense' }, (l) => {
        if (rank > 1) {
          model.add(tfl.layers.flatten(input()));
          rank = 1;
        }
        const units = l.units === 'classes' ? spec.classes : l.units;
        const activation = i === lastDense && l.activation === 'softmax' ? 'linear' : l.activation;
        model.add(
          tfl.layers.dense({
            units,
            activation,
            kernelInitializer: kernelInit(),
            biasInitializer: 'zeros',
            ...input(),
          }),
        );
      })
      .with({ kind: 'conv2d' }, (l) => {
        model.add(
          tfl.layers.conv2d({
            filters: l.filters,
            kernelSize: l.kernel,
            strides: l.stride,
            padding: l.padding,
            activation: l.activation,
            kernelInitializer: kernelInit(),
            biasInitializer: 'zeros',
            ...input(),
          }),
        );
      })
      .with({ kind: 'max_pool' }, (l) =>
        model.add(tfl.layers.maxPooling2d({ poolSize: l.size, strides: l.stride, ...input() })),
      )
      .with({ kind: 'avg_pool' }, (l) =>
        model.add(tfl.layers.averagePooling2d({ poolSize: l.size, strides: l.stride, ...input() })),
      )
      .with({ kind: 'flatten' }, () => {
        model.add(tfl.layers.flatten(input()));
        rank = 1;
      })
      .with({ kind: 'dropout' }, (l) => model.add(tfl.layers.dropout({ rate: l.rate, seed: nextSeed(), ...input() })))
      .with({ kind: 'batch_norm' }, () => model.add(tfl.layers.batchNormalization(input())))
      .with({ kind: 'activation' }, (l) =>
        model.add(
          tfl.layers.activation({
            activation: i === spec.layers.length - 1 && l.activation === 'softmax' ? 'linear' : l.activation,
            ...input(),
          }),
        ),
      )
      .exhaustive();
  });
  return model;
}
