/** ONNX models in the plan: a target's file read and checked against the data, and its query job. */
import { dirname, resolve } from 'node:path';
import type { Augmentation } from '../kinds/program.js';
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

/**
 * The answers of the ONNX file whose query job is `query` on augmented copies of every record: a job of its
 * own with the same file and facts (an ONNX model is a pure function of its input). Null when `query` is not
 * an ONNX file's job (a model mia trains answers through an augment_query job).
 */
export function onnxAugmentedQuery(
  pt: Point,
  query: string,
  id: string,
  label: string,
  augmentations: Augmentation[],
  seed: number,
): string | null {
  const spec = pt.byId.get(query)?.spec;
  if (spec?.kind !== 'onnx_query') return null;
  const augmented: OnnxQuerySpec = { ...spec, augmentations, seed };
  return addJob(pt, id, label, [], augmented).id;
}
