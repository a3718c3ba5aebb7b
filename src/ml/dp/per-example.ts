/**
 * Per-example clipped gradient sums for DP-SGD: Σ_i min(1, C/‖∇ℓ_i‖) ∇ℓ_i over a batch, and the norms ‖∇ℓ_i‖.
 *
 * - 'ghost' (models of dense layers, with activation, dropout and flatten layers between): one forward and
 *   one backward pass. For a dense layer z = aW + b the per-example gradients are a_i g_iᵀ (kernel) and g_i
 *   (bias), g_i = ∂ℓ_i/∂z_i, so ‖∇_W ℓ_i‖² + ‖∇_b ℓ_i‖² = (‖a_i‖² + 1)‖g_i‖² (Goodfellow 2015; "ghost
 *   clipping", Lee & Kifer 2021, Li et al. 2021) without forming any per-example gradient. The g_i come from
 *   the gradient of Σ_i ℓ_i with respect to zero tensors added to each layer's pre-activation. The clipped sum
 *   is then Aᵀ(c ⊙ G) and Σ_i c_i g_i with c_i = min(1, C/‖∇ℓ_i‖): the same as a second backward pass of
 *   Σ_i c_i ℓ_i (c held constant), without running it (the "book-keeping" of Bu et al. 2022), and with the
 *   same dropout masks as the first pass.
 * - 'microbatch' (any model): one backward pass per example.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { match, P } from 'ts-pattern';

export type PerExampleMethod = 'ghost' | 'microbatch';

export interface ClippedSum {
  /** ‖∇ℓ_i‖ before clipping, one per example. */
  norms: tf.Tensor1D;
  /** Σ_i c_i ∇ℓ_i by variable name (every trainable variable). */
  grads: Record<string, tf.Tensor>;
  /** Σ_i ℓ_i (unclipped). */
  lossSum: tf.Scalar;
}

type Step =
  | { kind: 'dense'; kernel: tf.Variable; bias: tf.Variable | null; act: (z: tf.Tensor) => tf.Tensor }
  | { kind: 'other'; layer: tfl.layers.Layer };

const PARAMETER_FREE = new Set(['Flatten', 'Dropout', 'Activation', 'Reshape']);

function activationOf(name: unknown): ((z: tf.Tensor) => tf.Tensor) | null {
  return match(name)
    .with(P.union('linear', undefined, null), () => (z: tf.Tensor) => z)
    .with('relu', () => tf.relu)
    .with('sigmoid', () => tf.sigmoid)
    .with('tanh', () => tf.tanh)
    .with('softmax', () => (z: tf.Tensor) => tf.softmax(z))
    .otherwise(() => null);
}

/** The model as a chain of dense steps and parameter-free layers, or null where ghost clipping does not apply. */
function ghostPlan(model: tfl.LayersModel): Step[] | null {
  const steps: Step[] = [];
  for (const layer of model.layers) {
    const name = layer.getClassName();
    if (name === 'Dense') {
      const cfg = layer.getConfig();
      const act = activationOf(cfg.activation);
      const input = layer.input as tfl.SymbolicTensor;
      if (!act || Array.isArray(input) || input.shape.length !== 2) return null;
      const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      if (!kernel) return null;
      steps.push({ kind: 'dense', kernel, bias: bias ?? null, act });
    } else if (PARAMETER_FREE.has(name) && layer.trainableWeights.length === 0) {
      steps.push({ kind: 'other', layer });
    } else return null;
  }
  return steps;
}

export function ghostClippingApplies(model: tfl.LayersModel): boolean {
  return ghostPlan(model) !== null;
}

/** Per-example softmax cross-entropy of logits against (possibly smoothed) target distributions: shape [B]. */
export function perExampleLoss(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

const clipFactors = (norms: tf.Tensor1D, clip: number): tf.Tensor1D =>
  tf.minimum(1, tf.div(clip, tf.maximum(norms, 1e-12))) as tf.Tensor1D;

function ghost(steps: Step[], xb: tf.Tensor, targets: tf.Tensor, clip: number): ClippedSum {
  const dense = steps.filter((s) => s.kind === 'dense');
  const b = xb.shape[0]!;
  const acts: tf.Tensor2D[] = [];
  const zeros = dense.map((s) => tf.zeros([b, s.kernel.shape[1]!]));
  const forward = (...eps: tf.Tensor[]): tf.Scalar => {
    let h = xb;
    let d = 0;
    for (const s of steps) {
      if (s.kind === 'other') {
        h = s.layer.apply(h, { training: true }) as tf.Tensor;
        continue;
      }
      acts.push(tf.keep(h as tf.Tensor2D));
      const z = tf.add(
        s.bias ? tf.add(tf.matMul(h as tf.Tensor2D, s.kernel), s.bias) : tf.matMul(h as tf.Tensor2D, s.kernel),
        eps[d++]!,
      );
      h = s.act(z);
    }
    return tf.sum(perExampleLoss(h, targets));
  };
  const { value, grads: gs } = tf.valueAndGrads(forward)(zeros);
  tf.dispose(zeros);
  return tf.tidy(() => {
    const sq = dense.map((s, i) => {
      const a2 = tf.sum(tf.square(acts[i]!), 1);
      return tf.mul(s.bias ? tf.add(a2, 1) : a2, tf.sum(tf.square(gs[i]!), 1));
    });
    const norms = tf.sqrt(tf.addN(sq)) as tf.Tensor1D;
    const c = tf.expandDims(clipFactors(norms, clip), 1);
    const grads: Record<string, tf.Tensor> = {};
    dense.forEach((s, i) => {
      const cg = tf.mul(gs[i]!, c);
      grads[s.kernel.name] = tf.matMul(acts[i]!, cg as tf.Tensor2D, true, false);
      if (s.bias) grads[s.bias.name] = tf.sum(cg, 0);
    });
    tf.dispose([...acts.filter((a) => a !== xb), ...gs]);
    return { norms, grads, lossSum: value };
  });
}

function microbatch(model: tfl.LayersModel, xb: tf.Tensor, targets: tf.Tensor, clip: number): ClippedSum {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const b = xb.shape[0]!;
  let sums: Record<string, tf.Tensor> = Object.fromEntries(vars.map((v) => [v.name, tf.zerosLike(v)]));
  let lossSum: tf.Scalar = tf.scalar(0);
  const norms: tf.Scalar[] = [];
  for (let i = 0; i < b; i++) {
    const next = tf.tidy(() => {
      const xi = tf.slice(xb, i, 1);
      const ti = tf.slice(targets, i, 1);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(perExampleLoss(model.apply(xi, { training: true }) as tf.Tensor, ti)),
        vars,
      );
      const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
      const c = tf.minimum(1, tf.div(clip, tf.maximum(norm, 1e-12)));
      const acc = Object.fromEntries(vars.map((v) => [v.name, tf.add(sums[v.name]!, tf.mul(grads[v.name]!, c))]));
      return { acc, norm, loss: tf.add(lossSum, value) as tf.Scalar };
    });
    tf.dispose([...Object.values(sums), lossSum]);
    sums = next.acc;
    lossSum = next.loss;
    norms.push(next.norm);
  }
  const normT = (b > 0 ? tf.stack(norms) : tf.zeros([0])) as tf.Tensor1D;
  tf.dispose(norms);
  return { norms: normT, grads: sums, lossSum };
}

/**
 * The clipped gradient sum of a batch (xb: the inputs in the model's input shape; targets: [B, classes]
 * distributions). 'ghost' throws when the model is not a chain of dense and parameter-free layers.
 */
export function clippedGradientSum(
  model: tfl.LayersModel,
  xb: tf.Tensor,
  targets: tf.Tensor,
  clip: number,
  method: PerExampleMethod,
): ClippedSum {
  if (method === 'microbatch') return microbatch(model, xb, targets, clip);
  const steps = ghostPlan(model);
  if (!steps) throw new Error('ghost clipping needs a model of dense layers (with activations, dropout, flatten)');
  return ghost(steps, xb, targets, clip);
}
