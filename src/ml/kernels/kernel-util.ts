/**
 * Helpers shared by the wasm gradient kernels (see wasm-grad-kernels.ts).
 * Everything here is expressed with tfjs-core ops, which run on the active
 * backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorInfoMap, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';

export type Pair = [number, number];
export type Shape4 = [number, number, number, number];
export type ExplicitPad4 = [Pair, Pair, Pair, Pair];

/** The forward-pass geometry of a conv / pool, per spatial axis (rows, cols). */
export interface Geometry {
  filter: Pair;
  stride: Pair;
  dilation: Pair;
  /** Padding before (top, left) in the forward pass. */
  padBefore: Pair;
  /** Spatial size of the forward input (H, W) and output (Ho, Wo). */
  inSize: Pair;
  outSize: Pair;
}

export function geometry(info: tf.backend_util.Conv2DInfo): Geometry {
  return {
    filter: [info.filterHeight, info.filterWidth],
    stride: [info.strideHeight, info.strideWidth],
    dilation: [info.dilationHeight, info.dilationWidth],
    padBefore: [info.padInfo.top, info.padInfo.left],
    inSize: [info.inHeight, info.inWidth],
    outSize: [info.outHeight, info.outWidth],
  };
}

export function pair(f: (axis: 0 | 1) => number): Pair {
  return [f(0), f(1)];
}

export function as4(shape: readonly number[]): Shape4 {
  const [a, b, c, d] = shape;
  if (shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined)
    throw new Error(`Bug: a rank-4 shape was expected, not [${shape.join(', ')}].`);
  return [a, b, c, d];
}

/**
 * A kernel input as a rank-4 Tensor: the caller's Tensor itself, or (for a
 * bare TensorInfo) a new Tensor holding its own reference to the data, so that
 * disposing it at the end of the kernel's tidy leaves the caller's data alive.
 */
export function input4(inputs: NamedTensorInfoMap, name: string): Tensor4D {
  const info: TensorInfo | undefined = inputs[name];
  if (info === undefined) throw new Error(`wasm grad kernel: missing input '${name}'`);
  if (info.shape.length !== 4) {
    throw new Error(`wasm grad kernel: input '${name}' must be rank 4, got [${info.shape.join(',')}]`);
  }
  if (info instanceof tf.Tensor) return info as Tensor4D;
  const t = tf.engine().makeTensorFromTensorInfo(info) as Tensor4D;
  tf.backend().incRef(info.dataId);
  return t;
}

/**
 * Crops the spatial axes of an NHWC tensor where an amount is negative, and
 * returns the remaining (non-negative) amounts as an explicit conv padding.
 */
export function cropForConv(x: Tensor4D, before: Pair, after: Pair): { x: Tensor4D; pad: ExplicitPad4 } {
  return {
    x: crop(x, before, after),
    pad: [
      [0, 0],
      [Math.max(0, before[0]), Math.max(0, after[0])],
      [Math.max(0, before[1]), Math.max(0, after[1])],
      [0, 0],
    ],
  };
}

/** Pads (positive amounts, with `value`) or crops (negative) the spatial axes of an NHWC tensor. */
export function padOrCrop(x: Tensor4D, before: Pair, after: Pair, value = 0): Tensor4D {
  const c = crop(x, before, after);
  if (before[0] <= 0 && before[1] <= 0 && after[0] <= 0 && after[1] <= 0) return c;
  const p = (v: number): number => Math.max(0, v);
  return tf.pad(
    c,
    [
      [0, 0],
      [p(before[0]), p(after[0])],
      [p(before[1]), p(after[1])],
      [0, 0],
    ],
    value,
  );
}

function crop(x: Tensor4D, before: Pair, after: Pair): Tensor4D {
  const top = Math.max(0, -before[0]);
  const left = Math.max(0, -before[1]);
  const h = x.shape[1] - top - Math.max(0, -after[0]);
  const w = x.shape[2] - left - Math.max(0, -after[1]);
  if (h <= 0 || w <= 0) throw new Error('wasm grad kernel: padding crops the whole tensor');
  if (h === x.shape[1] && w === x.shape[2]) return x;
  return tf.slice(x, [0, top, left, 0], [x.shape[0], h, w, x.shape[3]]);
}

/**
 * Zero insertion: [N,A,B,C] -> [N,A*s0,B*s1,C] with out[a*s0, b*s1] = x[a, b]
 * and zeros elsewhere (including s-1 trailing rows / columns).
 */
export function zeroInsert(x: Tensor4D, s: Pair): Tensor4D {
  if (s[0] === 1 && s[1] === 1) return x;
  const [n, a, b, c] = x.shape;
  const x6 = tf.reshape(x, [n, a, 1, b, 1, c]);
  const padded = tf.pad(x6, [
    [0, 0],
    [0, 0],
    [0, s[0] - 1],
    [0, 0],
    [0, s[1] - 1],
    [0, 0],
  ]);
  return tf.reshape<tf.Rank.R4>(padded, [n, a * s[0], b * s[1], c]);
}
