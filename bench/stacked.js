// CPU per model and step of K quickstart MLPs (784-128-10, batch 64, Adam) trained as one stacked graph
// (batched matrix products over K models, one FusedAdam over the stacked weights) against K = 1.
// usage: npm run build && node bench/stacked.js
import * as tf from '@tensorflow/tfjs-core';
const ml = await import('../dist/ml/index.js');
const { FusedAdam } = await import('../dist/ml/fused-adam.js');
await ml.initBackend('wasm');
function run(K, steps) {
  const w1 = tf.variable(tf.randomNormal([K, 784, 128], 0, 0.05)),
    b1 = tf.variable(tf.zeros([K, 1, 128]));
  const w2 = tf.variable(tf.randomNormal([K, 128, 10], 0, 0.05)),
    b2 = tf.variable(tf.zeros([K, 1, 10]));
  const vars = [w1, b1, w2, b2];
  const adam = new FusedAdam(0.001);
  const xs = new Float32Array(K * 64 * 784).map((_, i) => (i % 255) / 255);
  const ys = new Float32Array(K * 64 * 10);
  for (let i = 0; i < K * 64; i++) ys[i * 10 + (i % 10)] = 1;
  const c0 = process.cpuUsage();
  for (let s = 0; s < steps; s++) {
    const x = tf.tensor3d(xs, [K, 64, 784]),
      y = tf.tensor3d(ys, [K, 64, 10]);
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const logits = tf.add(tf.matMul(h, w2), b2);
      return tf.losses.softmaxCrossEntropy(tf.reshape(y, [K * 64, 10]), tf.reshape(logits, [K * 64, 10]));
    }, vars);
    adam.apply(
      vars,
      vars.map((v) => grads[v.name]),
    );
    value.dataSync();
    tf.dispose([x, y, value, ...Object.values(grads)]);
  }
  const c = process.cpuUsage(c0);
  tf.dispose(vars);
  adam.dispose();
  return (c.user + c.system) / 1000 / steps / K;
}
run(1, 10);
run(4, 5);
for (let r = 0; r < 3; r++)
  console.log(
    `K=1 ${run(1, 60).toFixed(2)} ms CPU per model-step; K=4 ${run(4, 15).toFixed(2)}; K=8 ${run(8, 8).toFixed(2)}`,
  );
