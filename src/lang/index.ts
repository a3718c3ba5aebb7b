export * from './ast.js';
export * from './diagnostic.js';
export { parse } from './parse.js';
