/** An onnx_query job: the model file read (the bytes the plan hashed, or none), run on every record of the dataset. */
import { createHash } from 'node:crypto';
import type { Dataset } from '../data/index.js';
import { ModelFileError } from '../ml/model-file.js';
import { readOnnxBytes } from '../ml/onnx-model.js';
import { queryOnnx } from '../ml/onnx-runtime.js';
import type { OnnxQuerySpec } from '../plan/index.js';

export async function runOnnxQuery(
  spec: OnnxQuerySpec,
  ds: Dataset,
  progress: (done: number, total: number) => void,
): Promise<{ kind: 'query'; logits: Float32Array; classes: number }> {
  const bytes = readOnnxBytes(spec.path);
  if (createHash('sha256').update(bytes).digest('hex') !== spec.model.hash)
    throw new ModelFileError(
      spec.path,
      'The model file changed after mia planned this run (its content no longer has the hash the plan was made from); nothing was stored. Run again to use the new file.',
    );
  const logits = await queryOnnx(spec.path, bytes, spec.model, ds, progress);
  const bad = logits.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new ModelFileError(
      spec.path,
      `The model outputs ${logits[bad]} (output ${bad % ds.classes}) for record ${Math.floor(bad / ds.classes)}; its answers must be finite numbers.`,
    );
  return { kind: 'query', logits, classes: ds.classes };
}
