/** ONNX models in the plan: a target's file read and checked against the data, and its query job. */
import { dirname, resolve } from 'node:path';
import type { DatasetInfo, OnnxQuerySpec } from './plan.js';
import { addJob, errorAt, type Point } from './compile-common.js';
import { ModelFileError } from '../ml/model-file.js';
import { type OnnxDeclared, onnxFacts } from '../ml/onnx-model.js';
import { requireOnnxRuntime } from '../ml/onnx-runtime.js';
import type { Located } from '../kinds/program.js';

/**
 * The query job of an ONNX file (relative to the spec that names it): its facts read now, so a file
 * that does not fit the data stops the plan with the dimension that differs, and its bytes' hash is the job's.
 */
export function onnxQueryJob(
  pt: Point,
  def: Located,
  file: string,
  declared: OnnxDeclared,
  id: string,
  label: string,
): string {
  requireOnnxRuntime();
  const path = resolve(dirname(def.file), file);
  const info: DatasetInfo = pt.datasets.find((d) => d.name === pt.dataset)!;
  let model;
  try {
    model = onnxFacts(path, info, declared);
  } catch (e) {
    if (e instanceof ModelFileError) throw errorAt('E402', e.message, def);
    throw e;
  }
  const spec: OnnxQuerySpec = { kind: 'onnx_query', dataset: pt.dataset, path, model };
  return addJob(pt, id, label, [], spec).id;
}
