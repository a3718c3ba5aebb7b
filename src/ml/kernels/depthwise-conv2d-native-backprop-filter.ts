/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend: a depthwise conv
 * of the input (batch folded into channels) with the output gradient as the
 * filter, then a sum over the batch (see wasm-grad-kernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { filterGradPadding } from './conv2d-backprop-filter.js';
import { as4, cropForConv, geometry, input4 } from './kernel-util.js';

function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: NamedTensorInfoMap;
  backend: {};
  attrs?: NamedAttrMap;
}): TensorInfo {
  const attrs = args.attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  return tf.tidy(() => {
    const x = input4(args.inputs, 'x');
    const dy = input4(args.inputs, 'dy');
    const info = tf.backend_util.computeConv2DInfo(
      as4(x.shape),
      attrs.filterShape,
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    const g = geometry(info);
    g.outSize = [dy.shape[1], dy.shape[2]];
    const [n, h, w, ch] = x.shape;
    const [, ho, wo, chOut] = dy.shape;
    const mult = attrs.filterShape[3];
    // X: [1,H,W,N*C] (channel n*C + c); K: [Ho,Wo,N*C,M] (dy channel c*M + m of
    // image n is (n*C + c)*M + m once N and C*M are merged).
    const xT = tf.reshape<tf.Rank.R4>(tf.transpose(x, [1, 2, 0, 3]), [1, h, w, n * ch]);
    const k = tf.reshape<tf.Rank.R4>(tf.transpose(dy, [1, 2, 0, 3]), [ho, wo, n * ch, mult]);
    const { before, after } = filterGradPadding(g);
    const c = cropForConv(xT, before, after);
    const dW = tf.depthwiseConv2d(c.x, k, g.dilation, c.pad, 'NHWC', g.stride); // [1,fh,fw,N*C*M]
    const [fh, fw] = g.filter;
    return tf.reshape(tf.sum(tf.reshape(dW, [fh, fw, n, chOut]), 2), [fh, fw, ch, mult]);
  });
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as KernelFunc,
};
