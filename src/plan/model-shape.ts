/**
 * Whether a model's layers fit the records they will train on, checked at plan time: conv2d and
 * pooling need images (height, width, channels), and each must leave at least one pixel (a 7×7
 * kernel does not fit a 6×6 image with padding valid). The shapes follow TensorFlow.js: valid
 * padding gives ⌊(n − k) / s⌋ + 1, same gives ⌈n / s⌉; pooling is valid. Dense layers flatten first.
 */
import { match } from 'ts-pattern';
import type { ModelDef } from '../check/index.js';

const out = (n: number, k: number, s: number, padding: 'same' | 'valid'): number =>
  padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;

/** The problem with running `model` on records of `shape`, as a sentence, or null when it fits. */
export function shapeProblem(
  model: Pick<ModelDef, 'name' | 'layers'>,
  shape: readonly number[],
  data: string,
): string | null {
  let s = shape.slice();
  for (const [i, l] of model.layers.entries()) {
    const at = `Layer ${i + 1} (${l.kind}) of model "${model.name}"`;
    const spatial = (k: number, stride: number, padding: 'same' | 'valid'): string | null => {
      if (s.length !== 3)
        return `${at} needs images (height, width, channels) but gets records of shape [${s.join(', ')}] from "${data}".`;
      const [h, w, c] = s as [number, number, number];
      const [oh, ow] = [out(h, k, stride, padding), out(w, k, stride, padding)];
      if (oh < 1 || ow < 1)
        return `${at} has size ${k} but its input is ${h}×${w} (records of "${data}" are [${shape.join(', ')}]); make it smaller, use padding: same, or drop a pooling layer.`;
      s = [oh, ow, c];
      return null;
    };
    const problem = match(l)
      .with({ kind: 'conv2d' }, (c) => {
        const p = spatial(c.kernel, c.stride, c.padding);
        if (!p) s = [s[0]!, s[1]!, c.filters];
        return p;
      })
      .with({ kind: 'max_pool' }, { kind: 'avg_pool' }, (p) => spatial(p.size, p.stride, 'valid'))
      .with({ kind: 'dense' }, (d) => {
        s = [typeof d.units === 'number' ? d.units : 0];
        return null;
      })
      .with({ kind: 'flatten' }, () => {
        s = [s.reduce((a, b) => a * b, 1)];
        return null;
      })
      .with({ kind: 'dropout' }, { kind: 'batch_norm' }, { kind: 'activation' }, () => null)
      .exhaustive();
    if (problem) return problem;
  }
  return null;
}
