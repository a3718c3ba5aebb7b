/**
 * An onnx_query job: the model file read (the bytes the plan hashed, or none), run on every record of the
 * dataset, or, with augmentations, on every augmented copy of every record (copy-major, as augment_query).
 */
import { createHash } from 'node:crypto';
import { augmentAll, augmentationCopies, type Dataset } from '../data/index.js';
import { ModelFileError } from '../ml/model-file.js';
import { readOnnxBytes } from '../ml/onnx-model.js';
import { queryOnnx } from '../ml/onnx-runtime.js';
import type { OnnxQuerySpec } from '../plan/index.js';

type Answers =
  | { kind: 'query'; logits: Float32Array; classes: number }
  | { kind: 'augment_query'; logits: Float32Array; classes: number; copies: number; n: number };

export async function runOnnxQuery(
  spec: OnnxQuerySpec,
  ds: Dataset,
  progress: (done: number, total: number) => void,
): Promise<Answers> {
  const bytes = readOnnxBytes(spec.path);
  if (createHash('sha256').update(bytes).digest('hex') !== spec.model.hash)
    throw new ModelFileError(
      spec.path,
      'The model file changed after mia planned this run (its content no longer has the hash the plan was made from); nothing was stored. Run again to use the new file.',
    );
  if (spec.augmentations) return augmentedAnswers(spec, bytes, ds, progress);
  const logits = await queryOnnx(spec.path, bytes, spec.model, ds, progress);
  finite(spec, logits, ds.classes, '');
  return { kind: 'query', logits, classes: ds.classes };
}

async function augmentedAnswers(
  spec: OnnxQuerySpec,
  bytes: Uint8Array,
  ds: Dataset,
  progress: (done: number, total: number) => void,
): Promise<Answers> {
  const copies = augmentationCopies(spec.augmentations!, ds, spec.seed ?? 0);
  const logits = new Float32Array(copies.length * ds.n * ds.classes);
  for (const [q, fn] of copies.entries()) {
    const answers = await queryOnnx(spec.path, bytes, spec.model, { ...ds, x: augmentAll(ds, fn) }, () => {});
    finite(spec, answers, ds.classes, ` (augmented copy ${q})`);
    logits.set(answers, q * ds.n * ds.classes);
    progress(q + 1, copies.length);
  }
  return { kind: 'augment_query', logits, classes: ds.classes, copies: copies.length, n: ds.n };
}

function finite(spec: OnnxQuerySpec, logits: Float32Array, classes: number, copy: string): void {
  const bad = logits.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new ModelFileError(
      spec.path,
      `The model outputs ${logits[bad]} (output ${bad % classes}) for record ${Math.floor(bad / classes)}${copy}; its answers must be finite numbers.`,
    );
}
