export * from './ast.js';
export * from './diagnostic.js';
export { clip } from './nesting-limits.js';
export { hasUserinfo, redactUrl, redactUrlsIn } from './redact.js';
export { parse } from './parse.js';
export { print, quote } from './print.js';
export { attachComments } from './comments.js';
export { stripRanges } from './strip.js';
export { metricSteps, metricText, numberText, type MetricStep } from './metric-ref.js';
