/**
 * The gradients of a model made only of dense layers (flatten allowed; activations relu, tanh, sigmoid or
 * linear; the softmax output is in the loss), written out as the few tensor operations they need instead
 * of recording the tfjs-layers forward pass on the gradient tape: per step about 30 kernels instead of 70, and on
 * wasm 9 (the products, relu's gradient and the loss as mia's own kernels).
 * The operations and their order are those tf.variableGrads runs for trainModel's loss (the dense layer's
 * unfused matMul + add + activation under the tape, the fused matMul for a linear layer, the custom
 * gradient of softmax cross-entropy: (exp(logits − logSumExp) − labels) · (1/B)), so the loss and the
 * gradients are bit-identical to the general path. Label smoothing is applied to the labels as
 * tf.losses.softmaxCrossEntropy does; l2 is not handled here (trainModel uses the general path then).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { match } from 'ts-pattern';
import { type DenseAttrs, denseKernelsReady, MIA_DENSE, MIA_RELU_GRAD } from './kernels/wasm-dense.js';
import { MIA_SOFTMAX_XENT } from './kernels/wasm-softmax-xent.js';

type Activation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

interface DenseLayer {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  activation: Activation;
}

/** What a tfjs-layers Dense layer exposes at run time (not in its public typings). */
interface DenseInternals {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
}

const ACTIVATIONS: readonly string[] = ['relu', 'tanh', 'sigmoid', 'linear'];

/** The model's dense layers in order, or null where it has any other layer (then: the general path). */
export function denseLayers(model: tfl.LayersModel): DenseLayer[] | null {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'Flatten') {
      if (layers.length > 0) return null; // a flatten between dense layers: no-op, but rare enough to leave
      continue;
    }
    if (kind !== 'Dense') return null;
    const d = layer as unknown as DenseInternals;
    const activation = d.activation.getClassName();
    if (!ACTIVATIONS.includes(activation)) return null;
    layers.push({
      kernel: d.kernel.read() as tf.Variable,
      bias: d.bias ? (d.bias.read() as tf.Variable) : null,
      activation: activation as Activation,
    });
  }
  const weights = layers.flatMap((l) => (l.bias ? [l.kernel, l.bias] : [l.kernel]));
  if (layers.length === 0 || weights.length !== model.trainableWeights.length) return null;
  return layers;
}

interface Forward {
  /** The input of each layer (inputs[0] the batch) and each layer's output after its activation. */
  inputs: tf.Tensor2D[];
  outputs: tf.Tensor2D[];
  /** A relu layer's input to its activation (relu's gradient reads it; tanh's and sigmoid's read the output). */
  pre: (tf.Tensor2D | null)[];
}

/** The wasm kernels of kernels/wasm-dense.ts, with the same float32 results as the tf ops they replace. */
const wasmDense = (a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor | null, attrs: Partial<DenseAttrs>): tf.Tensor2D =>
  tf.engine().runKernel(MIA_DENSE, bias ? { a, b, bias } : { a, b }, {
    transposeA: false,
    transposeB: false,
    biasFirst: false,
    relu: false,
    ...attrs,
  } as unknown as NamedAttrMap) as tf.Tensor2D;

function forward(layers: DenseLayer[], x: tf.Tensor2D, kernels: boolean): Forward {
  const inputs: tf.Tensor2D[] = [];
  const outputs: tf.Tensor2D[] = [];
  const pre: (tf.Tensor2D | null)[] = [];
  let h = x;
  for (const l of layers) {
    inputs.push(h);
    pre.push(null);
    const w = l.kernel as tf.Tensor2D;
    if (kernels && (l.activation === 'linear' || l.activation === 'relu')) {
      const linear = l.activation === 'linear';
      h = wasmDense(h, w, l.bias, { biasFirst: linear, relu: !linear });
    } else if (l.activation === 'linear') {
      h = tf.fused.matMul({ a: h, b: w, bias: l.bias ?? undefined }) as tf.Tensor2D;
    } else {
      const z = kernels ? wasmDense(h, w, null, {}) : tf.matMul(h, w);
      const zb = l.bias ? tf.add(z, l.bias) : z;
      if (l.activation === 'relu') pre[pre.length - 1] = zb as tf.Tensor2D;
      h = match(l.activation)
        .with('relu', () => tf.relu(zb))
        .with('tanh', () => tf.tanh(zb))
        .with('sigmoid', () => tf.sigmoid(zb))
        .exhaustive() as tf.Tensor2D;
    }
    outputs.push(h);
  }
  return { inputs, outputs, pre };
}

/** dL/d(activation input) from dL/d(output), as the activation's registered gradient computes it. */
function throughActivation(l: DenseLayer, dy: tf.Tensor2D, y: tf.Tensor2D, pre: tf.Tensor2D | null): tf.Tensor2D {
  return match(l.activation)
    .with('linear', () => dy)
    .with('relu', () => tf.mul(dy, tf.step(pre!)))
    .with('tanh', () => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy))
    .with('sigmoid', () => tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y))))
    .exhaustive() as tf.Tensor2D;
}

/**
 * Softmax cross-entropy of the logits (mean over the batch) and its gradient, as tf.losses computes them; with
 * the wasm kernels, one kernel (kernels/wasm-softmax-xent.ts) that also gives the gradient's column sums (the
 * output layer's bias gradient when it is linear), bit for bit the same numbers.
 */
function lossAndGradient(
  logits: tf.Tensor2D,
  onehot: tf.Tensor2D,
  smoothing: number,
  kernels: boolean,
): [tf.Scalar, tf.Tensor2D, tf.Tensor1D | null] {
  if (kernels) {
    const attrs = { smoothing } as unknown as NamedAttrMap;
    return [...(tf.engine().runKernel(MIA_SOFTMAX_XENT, { logits, labels: onehot }, attrs) as tf.Tensor[])] as [
      tf.Scalar,
      tf.Tensor2D,
      tf.Tensor1D,
    ];
  }
  let labels: tf.Tensor = onehot;
  if (smoothing > 0) {
    const s = tf.scalar(smoothing);
    labels = tf.add(tf.mul(onehot, tf.sub(tf.scalar(1), s)), tf.div(s, tf.scalar(onehot.shape[1])));
  }
  const b = logits.shape[0];
  const logResult = tf.sub(logits, tf.logSumExp(logits, [1], true));
  const loss = tf.div(tf.sum(tf.sum(tf.neg(tf.mul(logResult, labels)), [1])), tf.scalar(b)) as tf.Scalar;
  // d(loss)/d(cost of each record) = 1/B, a float32 quotient as the div gradient computes it
  const perRecord = tf.div(tf.scalar(1), tf.scalar(b));
  return [loss, tf.mul(perRecord, tf.sub(tf.exp(logResult), labels)) as tf.Tensor2D, null];
}

/**
 * The loss on a batch (before any update) and the gradient of every weight, in the order of
 * model.trainableWeights (kernel, then bias, per layer). The caller disposes all returned tensors.
 */
export function denseGradients(
  layers: DenseLayer[],
  x: tf.Tensor2D,
  onehot: tf.Tensor2D,
  smoothing: number,
): { loss: tf.Scalar; grads: tf.Tensor[] } {
  const kernels = denseKernelsReady();
  return tf.tidy(() => {
    const { inputs, outputs, pre } = forward(layers, x, kernels);
    const [loss, dLogits, dBias] = lossAndGradient(outputs[outputs.length - 1]!, onehot, smoothing, kernels);
    const grads: tf.Tensor[][] = [];
    let dy = dLogits;
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i]!;
      const w = l.kernel as tf.Tensor2D;
      let dz: tf.Tensor2D;
      let db: tf.Tensor | null = null;
      if (kernels && l.activation === 'relu') {
        [dz, db] = tf.engine().runKernel(MIA_RELU_GRAD, { dy, y: outputs[i]! }) as [tf.Tensor2D, tf.Tensor];
        if (l.bias) db = tf.reshape(db, l.bias.shape);
      } else {
        dz = throughActivation(l, dy, outputs[i]!, pre[i] ?? null);
        const sums = dz === dLogits ? dBias : null; // the loss kernel's column sums of dLogits (a linear output)
        if (l.bias) db = tf.reshape(sums ?? tf.sum(dz, [0]), l.bias.shape);
      }
      const dw = kernels
        ? wasmDense(inputs[i]!, dz, null, { transposeA: true })
        : tf.matMul(inputs[i]!, dz, true, false);
      grads.unshift(l.bias && db ? [dw, db] : [dw]);
      if (i > 0) dy = kernels ? wasmDense(dz, w, null, { transposeB: true }) : tf.matMul(dz, w, false, true);
    }
    return { loss, grads: grads.flat() };
  });
}

/**
 * A model's outputs for a batch as tfjs-layers computes them (model.apply: _FusedMatMul with the bias and
 * relu for each layer), through the wasm dense kernels; null where they do not apply (another backend, or
 * a tanh or sigmoid layer, which tfjs-layers does not fuse).
 */
export function denseLogits(layers: DenseLayer[], x: tf.Tensor2D): tf.Tensor2D | null {
  if (!denseKernelsReady() || !layers.every((l) => l.activation === 'relu' || l.activation === 'linear')) return null;
  return tf.tidy(() =>
    layers.reduce(
      (h, l) => wasmDense(h, l.kernel as tf.Tensor2D, l.bias, { biasFirst: true, relu: l.activation === 'relu' }),
      x,
    ),
  );
}
