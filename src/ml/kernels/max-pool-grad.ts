/**
 * MaxPoolGrad for the wasm backend, replacing the native one.
 *
 * The native kernel (tfjs-backend-wasm 4.22, MaxPoolGrad.cc) starts its running
 * maximum at std::numeric_limits<float>::min(), the smallest *positive* float,
 * instead of -infinity, so a window whose values are all <= 0 sends its
 * gradient to a wrong element; it also breaks ties towards the last maximum,
 * where tfjs (cpu, webgl) picks the first. Max pooling after a batch
 * normalization, a tanh or no activation trains wrongly with it.
 *
 * Here, with x padded by -infinity so that every window is in bounds, tap
 * (r, c) of the windows is X_rc[n,a,b,:] = xpad[n, a*s + r*d, b*s + c*d, :],
 * and the gradient of window (n,a,b,ch) goes to its first maximal tap:
 *   k* = argmax_k X_k  (first maximum: the wasm ArgMax kernel keeps the first),
 *   G  = oneHot(k*, kh*kw) * dy,
 *   dx = sum_k place_k(G[..., k]), place_k putting (a, b) at (a*s + r*d - pt, b*s + c*d - pl).
 * - Windows that do not overlap (stride >= pool size, no dilation): xpad is cut
 *   to [N,Ho*sh,Wo*sw,C], so reshape + transpose give the taps as the last
 *   axes, [N*Ho*Wo*C, sh, sw], in one go, and the inverse transpose places G.
 * - Otherwise a depthwise conv with one-hot filters (tap k of channel c to output
 *   channel c*K + k) lays all taps out as [N*Ho*Wo*C, K] (exact: x*1 plus zeros;
 *   xpad then uses the lowest float instead of -infinity, as -infinity*0 is
 *   NaN; an inf or NaN inside x, though, spoils its windows' taps), and placing
 *   G back is the input gradient of that same depthwise conv.
 *   (Strided slices would do too, but the wasm StridedSlice and Slice kernels
 *   are slow: Slice copies its whole input out of the wasm heap.)
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  NamedAttrMap,
  NamedTensorInfoMap,
  Tensor,
  Tensor4D,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { as4, geometry, input4, pair, padOrCrop, type Geometry, type Pair } from './kernel-util.js';

/** G = oneHot(first argmax over the last axis of taps [M,K]) * dy, as [M,K]. */
function routeToFirstMax(taps: Tensor, dy: Tensor): Tensor {
  const [m, k] = taps.shape;
  if (m === undefined || k === undefined || taps.rank !== 2) throw new Error(`Bug: taps of shape [${taps.shape}].`);
  if (k === 1) return tf.reshape(dy, [m, 1]);
  const hot = tf.cast(tf.oneHot(tf.argMax(taps, 1), k), 'float32'); // wasm OneHot writes int32 only
  return tf.mul(hot, tf.reshape(dy, [m, 1]));
}

/** Pads (with zeros) or crops t, whose element [a*s] belongs at input row a*s + offset - pad_before. */
function toInput(t: Tensor4D, offset: Pair, g: Geometry): Tensor4D {
  const before = pair((k) => offset[k] - g.padBefore[k]);
  return padOrCrop(
    t,
    before,
    pair((k) => g.inSize[k] - before[k] - t.shape[k + 1]!),
  );
}

function nonOverlapping(x: Tensor4D, dy: Tensor4D, g: Geometry): Tensor4D {
  const [n, , , ch] = x.shape;
  const [ho, wo] = g.outSize;
  const [kh, kw] = g.filter;
  const [sh, sw] = g.stride;
  const m = n * ho * wo * ch;
  const gap = sh > kh || sw > kw;
  const xp = padOrCrop(
    x,
    g.padBefore,
    pair((k) => g.outSize[k] * g.stride[k] - g.padBefore[k] - g.inSize[k]),
    -Infinity,
  );
  let windows: Tensor = tf.reshape(tf.transpose(tf.reshape(xp, [n, ho, sh, wo, sw, ch]), [0, 1, 3, 5, 2, 4]), [
    m,
    sh,
    sw,
  ]);
  if (gap) windows = tf.slice(windows, [0, 0, 0], [m, kh, kw]);
  let grad: Tensor = tf.reshape(routeToFirstMax(tf.reshape(windows, [m, kh * kw]), dy), [m, kh, kw]);
  if (gap)
    grad = tf.pad(grad, [
      [0, 0],
      [0, sh - kh],
      [0, sw - kw],
    ]);
  const placed = tf.transpose(tf.reshape(grad, [n, ho, wo, ch, sh, sw]), [0, 1, 4, 2, 5, 3]); // [N,Ho,sh,Wo,sw,C]
  return toInput(tf.reshape<tf.Rank.R4>(placed, [n, ho * sh, wo * sw, ch]), [0, 0], g);
}

/** The lowest float32: pads windows without the NaN that -infinity * 0 would give in a conv. */
const LOWEST_F32 = -3.4028234663852886e38;

/** Depthwise filter [kh,kw,C,kh*kw] that copies tap (r, c) of each channel to output k = r*kw + c. */
function tapFilter(kh: number, kw: number, ch: number): Tensor4D {
  const k = kh * kw;
  const data = new Float32Array(k * ch * k);
  for (let t = 0; t < k; t++) for (let c = 0; c < ch; c++) data[(t * ch + c) * k + t] = 1;
  return tf.tensor4d(data, [kh, kw, ch, k]);
}

function overlapping(x: Tensor4D, dy: Tensor4D, g: Geometry): Tensor4D {
  const [n, , , ch] = x.shape;
  const [ho, wo] = g.outSize;
  const [kh, kw] = g.filter;
  const m = n * ho * wo * ch;
  const extent = pair((k) => (g.outSize[k] - 1) * g.stride[k] + (g.filter[k] - 1) * g.dilation[k] + 1);
  const xp = padOrCrop(
    x,
    g.padBefore,
    pair((k) => extent[k] - g.padBefore[k] - g.inSize[k]),
    LOWEST_F32,
  );
  // All taps at once: a depthwise conv with one-hot filters (exact: x*1 plus zeros),
  // output channel c*K + k = tap k of channel c, i.e. [M,K] once reshaped.
  const filter = tapFilter(kh, kw, ch);
  const taps = tf.depthwiseConv2d(xp, filter, g.stride, 'valid', 'NHWC', g.dilation);
  const grad = tf.reshape<tf.Rank.R4>(routeToFirstMax(tf.reshape(taps, [m, kh * kw]), dy), [n, ho, wo, ch * kh * kw]);
  // Placing the taps back is the input gradient of that same depthwise conv.
  const attrs = { strides: g.stride, dilations: g.dilation, pad: 'valid', inputShape: xp.shape };
  const dxp = tf
    .engine()
    .runKernel(
      tf.DepthwiseConv2dNativeBackpropInput,
      { dy: grad, filter },
      attrs as unknown as NamedAttrMap,
    ) as Tensor4D;
  return toInput(dxp, [0, 0], g);
}

function maxPoolGrad(args: { inputs: NamedTensorInfoMap; backend: {}; attrs?: NamedAttrMap }): TensorInfo {
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  return tf.tidy(() => {
    const dy = input4(args.inputs, 'dy');
    const x = input4(args.inputs, 'input');
    const info = tf.backend_util.computePool2DInfo(
      as4(x.shape),
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const g = geometry(info);
    g.outSize = [dy.shape[1], dy.shape[2]];
    const [dh, dw] = g.dilation;
    const disjoint = dh === 1 && dw === 1 && g.stride[0] >= g.filter[0] && g.stride[1] >= g.filter[1];
    return disjoint ? nonOverlapping(x, dy, g) : overlapping(x, dy, g);
  });
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as KernelFunc,
};
