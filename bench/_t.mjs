import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const w = tf.backend().wasm;
console.log(Object.keys(w).filter((k) => /mem|asm|HEAP|wasm/i.test(k)));
console.log(w.wasmMemory, w.asm && Object.keys(w.asm).slice(0, 5), typeof WebAssembly.validate);
console.log(w.HEAPU8.buffer.constructor.name, w.HEAPU8.buffer.byteLength);
