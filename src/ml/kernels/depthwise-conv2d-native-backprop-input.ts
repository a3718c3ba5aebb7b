/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend: the zero-inserted,
 * padded output gradient correlated with the 180-degree rotated filter, then a
 * sum over the channel multiplier (see wasm-grad-kernels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type {
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { as4, cropForConv, geometry, input4, pair, zeroInsert } from './kernel-util.js';

function depthwiseConv2dNativeBackpropInput(args: {
  inputs: NamedTensorInfoMap;
  backend: {};
  attrs?: NamedAttrMap;
}): TensorInfo {
  const attrs = args.attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = input4(args.inputs, 'dy');
    const filter = input4(args.inputs, 'filter');
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      as4(filter.shape),
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    const g = geometry(info);
    g.outSize = [dy.shape[1], dy.shape[2]];
    const [n, , , chOut] = dy.shape;
    const [fh, fw, ch, mult] = filter.shape;
    // D is Ho*s long (its last s-1 rows are zeros); the padded length must be
    // H + (fh-1)*d, with (fh-1)*d - pad_top in front.
    const d = zeroInsert(dy, g.stride);
    const before = pair((k) => (g.filter[k] - 1) * g.dilation[k] - g.padBefore[k]);
    const after = pair((k) => g.inSize[k] + g.padBefore[k] - g.outSize[k] * g.stride[k]);
    const c = cropForConv(d, before, after);
    const rot = tf.reshape<tf.Rank.R4>(tf.reverse(filter, [0, 1]), [fh, fw, chOut, 1]);
    const dx = tf.depthwiseConv2d(c.x, rot, 1, c.pad, 'NHWC', g.dilation); // [N,H,W,C*M]
    if (mult === 1) return dx;
    const [, h, w] = dx.shape;
    return tf.sum(tf.reshape(dx, [n, h, w, ch, mult]), 4);
  });
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as KernelFunc,
};
