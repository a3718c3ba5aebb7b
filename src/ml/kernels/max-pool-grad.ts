/**
 * MaxPoolGrad for the wasm backend, replacing the native one.
 *
 * The native kernel (tfjs-backend-wasm 4.22, MaxPoolGrad.cc) starts its running
 * maximum at std::numeric_limits<float>::min(), the smallest *positive* float,
 * instead of -infinity, so a window whose values are all <= 0 routes its
 * gradient to a wrong position; it also breaks ties towards the last maximum
 * while tfjs (cpu, webgl) routes to the first one. Max pooling after a
 * batch normalization, a tanh or no activation trains wrongly with it.
 *
 * Here, with x padded by -infinity so that every window is in bounds, tap (r, c)
 * of the window is the strided slice X_rc[n,a,b,:] = xpad[n, a*s + r, b*s + c, :]
 * (same shape as the pooled output y). The gradient goes to the first tap, in
 * row-major window order, with X_rc == y:
 *   M_rc = (X_rc == y) AND NOT (M_00 OR ... OR the previous taps),
 *   dx   = sum_rc place_rc(where(M_rc, dy, 0)),
 * where place_rc puts element (a, b) at input position (a*s + r - pt, b*s + c - pl).
 * When the windows do not overlap (stride >= pool size), the placed taps
 * interleave: stack the taps of a row next to each output column and the rows
 * next to each output row, then reshape ([N,Ho,kh,Wo,kw,C] -> [N,Ho*kh,Wo*kw,C]).
 * Otherwise each tap is zero-inserted, shifted by padding and summed.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, NamedAttrMap, NamedTensorInfoMap, Tensor4D, TensorInfo } from '@tensorflow/tfjs-core';
import { as4, geometry, input4, pair, padOrCrop, zeroInsert, type Geometry } from './kernel-util.js';

/** Places non-overlapping taps: parts[r][c] is [N,Ho,Wo,C]; result [N,Ho*sh,Wo*sw,C]. */
function interleave(parts: Tensor4D[][], g: Geometry): Tensor4D {
  const [kh, kw] = g.filter;
  const [sh, sw] = g.stride;
  const rows = parts.map((row) => {
    const [n, ho, wo, ch] = row[0].shape;
    let r5 = tf.stack(row, 3); // [N,Ho,Wo,kw,C]
    if (sw > kw) r5 = tf.pad(r5, [[0, 0], [0, 0], [0, 0], [0, sw - kw], [0, 0]]);
    return tf.reshape<tf.Rank.R4>(r5, [n, ho, wo * sw, ch]);
  });
  const [n, ho, wsw, ch] = rows[0].shape;
  let all = tf.stack(rows, 2); // [N,Ho,kh,Wo*sw,C]
  if (sh > kh) all = tf.pad(all, [[0, 0], [0, 0], [0, sh - kh], [0, 0], [0, 0]]);
  return tf.reshape<tf.Rank.R4>(all, [n, ho * sh, wsw, ch]);
}

function maxPoolGrad(args: { inputs: NamedTensorInfoMap; backend: {}; attrs?: NamedAttrMap }): TensorInfo {
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  return tf.tidy(() => {
    const dy = input4(args.inputs, 'dy');
    const x = input4(args.inputs, 'input');
    const y = input4(args.inputs, 'output');
    const info = tf.backend_util.computePool2DInfo(as4(x.shape), attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
    const g = geometry(info);
    g.outSize = [dy.shape[1], dy.shape[2]];
    const [n, , , ch] = x.shape;
    const [ho, wo] = g.outSize;
    const [kh, kw] = g.filter;
    const [sh, sw] = g.stride;
    const [dh, dw] = g.dilation;
    // Pad x with -inf (or crop it) to exactly the extent the windows cover.
    const extent = pair((k) => (g.outSize[k] - 1) * g.stride[k] + (g.filter[k] - 1) * g.dilation[k] + 1);
    const xp = padOrCrop(x, g.padBefore, pair((k) => extent[k] - g.padBefore[k] - g.inSize[k]), -Infinity);
    const zeros = tf.zerosLike(dy);
    let taken: tf.Tensor | undefined;
    const parts: Tensor4D[][] = [];
    for (let r = 0; r < kh; r++) {
      const row: Tensor4D[] = [];
      for (let c = 0; c < kw; c++) {
        const begin = [0, r * dh, c * dw, 0];
        const end = [n, r * dh + (ho - 1) * sh + 1, c * dw + (wo - 1) * sw + 1, ch];
        const tap = tf.stridedSlice(xp, begin, end, [1, sh, sw, 1]);
        let hit = tf.equal(tap, y);
        if (taken !== undefined) hit = tf.logicalAnd(hit, tf.logicalNot(taken));
        if (r < kh - 1 || c < kw - 1) taken = taken === undefined ? hit : tf.logicalOr(taken, hit);
        row.push(tf.where(hit, dy, zeros));
      }
      parts.push(row);
    }
    const toInput = (t: Tensor4D, offset: [number, number]): Tensor4D => {
      // t[a*s] sits at input position a*s + offset - pad_before.
      const before = pair((k) => offset[k] - g.padBefore[k]);
      return padOrCrop(t, before, pair((k) => g.inSize[k] - before[k] - t.shape[k + 1]));
    };
    const dilated = dh !== 1 || dw !== 1;
    if (!dilated && sh >= kh && sw >= kw) return toInput(interleave(parts, g), [0, 0]);
    const placed = parts.flatMap((row, r) => row.map((t, c) => toInput(zeroInsert(t, g.stride), [r * dh, c * dw])));
    return placed.length === 1 ? placed[0] : tf.addN(placed);
  });
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as KernelFunc,
};
