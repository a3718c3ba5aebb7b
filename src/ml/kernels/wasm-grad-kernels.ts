/**
 * Gradient kernels for the tfjs wasm backend (4.22), written in terms of
 * forward ops it has (Conv2D, DepthwiseConv2dNative, Transpose, Reshape,
 * Slice, PadV2, Reverse, Sum, Pack, ArgMax, OneHot, Cast, Multiply, AddN), so
 * that a CNN trains on wasm with the same results as on cpu.
 *
 * Of the kernels used by the backward pass of the conv2d, depthwiseConv2d,
 * separableConv2d, maxPooling2d, averagePooling2d, batchNormalization,
 * dropout, flatten and dense layers (relu / softmax / sigmoid / tanh), wasm
 * 4.22 lacks three, one of the kernels it has is wrong and one is slow:
 *   - Conv2DBackpropFilter                 missing   -> conv2d-backprop-filter.ts
 *   - DepthwiseConv2dNativeBackpropFilter  missing   -> depthwise-conv2d-native-backprop-filter.ts
 *   - DepthwiseConv2dNativeBackpropInput   missing   -> depthwise-conv2d-native-backprop-input.ts
 *   - MaxPoolGrad                          wrong     -> max-pool-grad.ts (replaces the native one)
 *   - Conv2DBackpropInput                  slow      -> conv2d-backprop-input.ts (replaces the native one)
 * (AvgPoolGrad, FusedBatchNorm, Step, ... are native and agree with cpu.)
 *
 * The math. Notation (NHWC): x [N,H,W,Ci], dy [N,Ho,Wo,Co], filter
 * [fh,fw,Ci,Co], stride s, dilation d, pt / pl = top / left padding of the
 * forward pass y[n,a,b,o] = sum_{r,c,i} x[n, a*s + r*d - pt, b*s + c*d - pl, i] f[r,c,i,o].
 *
 * Conv2DBackpropFilter.
 *   dW[r,c,i,o] = sum_{n,a,b} x[n, a*s + r*d - pt, b*s + c*d - pl, i] dy[n,a,b,o].
 *   Swap the roles of batch and channels: with X = x transposed to [Ci,H,W,N]
 *   and K = dy transposed to [Ho,Wo,N,Co] (a "filter" the size of the output),
 *       dW'[i,r,c,o] = sum_{a,b,n} Xpad[i, r*d + a*s, c*d + b*s, n] K[a,b,n,o],
 *   i.e. conv2d(X, K) with stride d and dilation s (stride and dilation swap
 *   roles), X padded by pt on top and, at the bottom, by whatever makes the
 *   output exactly fh tall (a negative amount crops X). dW = transpose(dW',
 *   [1,2,0,3]). NCHW only changes the two transpositions.
 *
 * DepthwiseConv2dNativeBackpropFilter (filter [fh,fw,C,M], dy channel c*M + m).
 *   Same identity, but channels must not mix, so N is folded into the channel
 *   axis instead of the batch axis: X = x -> [1,H,W,N*C] (channel n*C + c) and
 *   K = dy -> [Ho,Wo,N*C,M] (channel n*C*M + c*M + m = (n*C + c)*M + m), then
 *   depthwiseConv2d(X, K, stride d, dilation s) is [1,fh,fw,N*C*M]: reshape it
 *   to [fh,fw,N,C*M] and sum over n.
 *
 * DepthwiseConv2dNativeBackpropInput.
 *   dx[n,h,w,c] = sum over a*s + r*d - pt = h (and columns alike), m of
 *   dy[n,a,b,c*M+m] f[r,q,c,m]. Insert s-1 zeros after each row / column of dy
 *   (D[a*s] = dy[a]), pad D with (fh-1)*d - pt in front and to a total length
 *   H + (fh-1)*d (negative = crop); then dx = sum_m correlate(D, rot180(f)) at
 *   dilation d, stride 1: a depthwiseConv2d with C*M channels and multiplier 1,
 *   and a sum over m. The zero insertion is a reshape to [N,Ho,1,Wo,1,C*M], a
 *   PadV2 to [N,Ho,s,Wo,s,C*M] and a reshape back.
 *
 * MaxPoolGrad: see max-pool-grad.ts. The gradient of each window goes to its
 * first maximum, as on cpu: an ArgMax over the window's taps (laid out as the
 * last axis by reshape + transpose, or by slices when windows overlap), a
 * OneHot times dy, and the inverse layout change.
 *
 * Each kernel runs its ops in tf.tidy and returns the resulting Tensor, which
 * the engine takes as the kernel output as is; intermediates are released
 * before the kernel returns. The kernels are registered for 'wasm' only, so
 * their ops dispatch to wasm kernels: nothing computes on cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-native-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';

interface Entry {
  config: KernelConfig;
  /** Replace the backend's own kernel (wrong or slow), rather than only fill a gap. */
  replace: boolean;
}

const ENTRIES: Entry[] = [
  { config: conv2DBackpropFilterConfig, replace: false },
  { config: depthwiseConv2dNativeBackpropFilterConfig, replace: false },
  { config: depthwiseConv2dNativeBackpropInputConfig, replace: false },
  { config: maxPoolGradConfig, replace: true }, // native: wrong for windows <= 0 and for ties
  { config: conv2DBackpropInputConfig, replace: true }, // native: a C++ loop, 5-10x slower than XNNPACK
];

function current(kernelName: string): KernelConfig | undefined {
  // getKernel returns undefined (typed as KernelConfig) when none is registered.
  return tf.getKernel(kernelName, 'wasm') as KernelConfig | undefined;
}

/**
 * Registers the kernels above for the 'wasm' backend: each missing one, and
 * MaxPoolGrad and Conv2DBackpropInput in place of the native ones. Idempotent
 * (a kernel already registered by this module is left alone; no other native
 * kernel is replaced). Returns the names of the kernels of this
 * module that are registered, whether by this call or by an earlier one.
 *
 * Call it after '@tensorflow/tfjs-backend-wasm' has been imported (any time
 * before or after tf.setBackend('wasm')): importing the backend later would
 * register its own MaxPoolGrad and Conv2DBackpropInput over ours.
 */
export function registerWasmGradKernels(): string[] {
  const names: string[] = [];
  for (const { config, replace } of ENTRIES) {
    const existing = current(config.kernelName);
    if (existing !== config) {
      if (existing !== undefined && !replace) continue;
      if (existing !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
      tf.registerKernel(config);
    }
    names.push(config.kernelName);
  }
  return names;
}
