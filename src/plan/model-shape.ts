/**
 * Whether a model's layers fit the records they will train on, checked at plan time: the layer kinds
 * that need images (conv2d, pooling) get (height, width, channels), and each window must leave at least
 * one pixel (a 7×7 kernel does not fit a 6×6 image with padding valid). The shapes come from the layer
 * kinds' descriptors (ml/layers/), which follow TensorFlow.js.
 */
import type { ModelDef } from '../check/index.js';
import { outSize } from '../ml/layers/layer.js';
import { layerKind } from '../ml/layers/index.js';

/** The problem with running `model` on records of `shape`, as a sentence, or null when it fits. */
export function shapeProblem(
  model: Pick<ModelDef, 'name' | 'layers'>,
  shape: readonly number[],
  data: string,
): string | null {
  let s = shape.slice();
  for (const [i, l] of model.layers.entries()) {
    const kind = layerKind(l.kind);
    if (!kind) continue;
    const at = `Layer ${i + 1} (${l.kind}) of model "${model.name}"`;
    if (kind.images && s.length !== 3)
      return `${at} needs images (height, width, channels) but gets records of shape [${s.join(', ')}] from "${data}".`;
    const w = kind.window?.(l);
    if (w) {
      const [h, wd] = s as [number, number, number];
      if (outSize(h, w) < 1 || outSize(wd, w) < 1)
        return `${at} has size ${w.size} but its input is ${h}×${wd} (records of "${data}" are [${shape.join(', ')}]); make it smaller, use padding: same, or drop a pooling layer.`;
    }
    if (kind.shape) s = kind.shape(l, s, 0);
  }
  return null;
}
