/**
 * `padding: same` as explicit padding for the wasm backend's convolutions. tfjs-backend-wasm 4.22 hands a
 * `same` convolution to XNNPACK with its TensorFlow-same-padding flag, and XNNPACK then pads differently from
 * TensorFlow when a stride exceeds the kernel (kernel 2 with stride 3, kernel 3 with stride 4, …): the
 * outputs are wrong by O(1), with no error. The padding TensorFlow defines (computeConv2DInfo's top, bottom,
 * left and right) is the same for every backend, so these kernels rewrite `same` into those four numbers
 * before the backend's own kernel runs; XNNPACK is then told the padding instead of deriving it. Every other
 * convolution (valid, explicit, NCHW) goes to the backend's kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap } from '@tensorflow/tfjs-core';
import { wrapWasmKernel } from './wrap-kernel.js';

type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type Pad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];

/** The kernels XNNPACK runs with its own `same` padding, and whether each is depthwise. */
const KERNELS: Record<string, { depthwise: boolean }> = {
  Conv2D: { depthwise: false },
  FusedConv2D: { depthwise: false },
  DepthwiseConv2dNative: { depthwise: true },
  FusedDepthwiseConv2D: { depthwise: true },
};

/** The explicit padding TensorFlow's `same` means for these shapes (channels last). */
function explicitPadding(xShape: number[], filterShape: number[], attrs: NamedAttrMap, depthwise: boolean): Pad {
  const info: Conv2DInfo = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides as number | [number, number],
    (attrs.dilations ?? 1) as number | [number, number],
    'same',
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
  const p = info.padInfo;
  return [
    [0, 0],
    [p.top, p.bottom],
    [p.left, p.right],
    [0, 0],
  ] as Pad;
}

function samePaddingKernel(original: KernelFunc, depthwise: boolean): KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const channelsLast = (args.attrs?.dataFormat ?? 'NHWC') === 'NHWC';
    if (args.attrs?.pad !== 'same' || !channelsLast) return original(args);
    const pad = explicitPadding(x.shape, filter.shape, args.attrs, depthwise);
    return original({ ...args, attrs: { ...args.attrs, pad } as unknown as NamedAttrMap });
  };
}

let registered = false;

/** Registers the kernels once, over the wasm backend's own (which they call). */
export function registerWasmSamePadding(): void {
  if (registered) return;
  registered = true;
  for (const [name, { depthwise }] of Object.entries(KERNELS))
    wrapWasmKernel(name, (original) => samePaddingKernel(original, depthwise));
}
