/**
 * What `mia serve MODEL` serves: MODEL read by the first source that accepts it. A source turns a path
 * into a served model: one record's input shape, its class count, and a function from records to logits.
 * A new kind of model file is one source in its own file and one line in MODEL_SOURCES.
 */
import { miaTargetSource } from './mia-target.js';
import type { ModelSource } from './served.js';
import { tfjsFileSource } from './tfjs-file.js';

export type { ModelSource, ServedModel, SourceOptions } from './served.js';

export const MODEL_SOURCES: readonly ModelSource[] = [
  miaTargetSource,
  tfjsFileSource,
  // onnxFileSource, // an ONNX file run by onnxruntime-node (the ONNX issue): one more source here
];

/** The source that reads `path`, or null. */
export const sourceFor = (path: string): ModelSource | null => MODEL_SOURCES.find((s) => s.accepts(path)) ?? null;
