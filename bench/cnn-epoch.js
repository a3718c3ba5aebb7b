// One training epoch of a small CNN (conv 3x3x16 relu, max-pool 2, flatten, dense 10) on 1,000 random
// 28x28x1 images, batch 64, on the wasm backend (with mia's gradient kernels) and on the cpu backend.
// usage: npm run build && node bench/cnn-epoch.js
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradKernels } from '../dist/ml/kernels/wasm-grad-kernels.js';
import { registerWasmMatMulTranspose } from '../dist/ml/kernels/wasm-matmul-transpose.js';

await tf.setBackend('wasm');
await tf.ready();
registerWasmGradKernels();
registerWasmMatMulTranspose();
const pixels = Float32Array.from({ length: 1000 * 784 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
const labels = Int32Array.from({ length: 1000 }, (_, i) => i % 10);
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 3, filters: 16, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.tensor4d(pixels, [1000, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  for (const epoch of backend === 'cpu' ? [1] : [1, 2]) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    console.log(`cnn epoch (${backend}, epoch ${epoch}): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  }
  tf.dispose([x, y]);
  model.dispose();
}
