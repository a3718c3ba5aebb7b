export * from './dataset.js';
export { loadMnist } from './mnist.js';
export * from './splits.js';
export * from './augment.js';
export * from './npy-array.js';
