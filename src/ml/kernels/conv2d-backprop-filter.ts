/**
 * Conv2DBackpropFilter for the wasm backend: the filter gradient of conv2d as
 * a conv2d of the transposed input with the transposed output gradient (see
 * wasm-grad-kernels.ts for the derivation).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  Conv2DBackpropFilterAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { as4, cropForConv, geometry, input4, pair, type Geometry, type Pair } from './kernel-util.js';

/**
 * Padding of the input, per spatial axis, so that correlating it with an
 * outSize-sized kernel dilated by the forward stride, at a stride equal to the
 * forward dilation, gives exactly `filter` outputs: the padded extent must be
 * (filter-1)*dilation + (out-1)*stride + 1. Negative amounts mean cropping.
 */
export function filterGradPadding(g: Geometry): { before: Pair; after: Pair } {
  const after = pair(
    (k) => (g.filter[k] - 1) * g.dilation[k] + (g.outSize[k] - 1) * g.stride[k] + 1 - g.padBefore[k] - g.inSize[k],
  );
  return { before: g.padBefore, after };
}

function conv2DBackpropFilter(args: { inputs: NamedTensorInfoMap; backend: {}; attrs?: NamedAttrMap }): TensorInfo {
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const channelsLast = attrs.dataFormat !== 'NCHW';
  return tf.tidy(() => {
    const x = input4(args.inputs, 'x');
    const dy = input4(args.inputs, 'dy');
    const info = tf.backend_util.computeConv2DInfo(
      as4(x.shape),
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      channelsLast ? 'channelsLast' : 'channelsFirst',
    );
    const g = geometry(info);
    g.outSize = channelsLast ? [dy.shape[1], dy.shape[2]] : [dy.shape[2], dy.shape[3]];
    // X: [Ci,H,W,N] (batch and channels swapped); K: [Ho,Wo,N,Co].
    const xT = tf.transpose(x, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
    const k = tf.transpose(dy, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]);
    const { before, after } = filterGradPadding(g);
    const c = cropForConv(xT, before, after);
    // Stride and dilation swap roles.
    const dW = tf.conv2d(c.x, k, g.dilation, c.pad, 'NHWC', g.stride); // [Ci,fh,fw,Co]
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as KernelFunc,
};
