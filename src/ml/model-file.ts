/**
 * What can be known of an imported model without TensorFlow.js (the main thread, at plan time): its
 * files' content hash (model.json and every weight file its manifest names; part of the job hashes,
 * so a replaced model re-runs what queries it) and, where the topology says, its input shape and
 * output count, checked against the data before any job runs. ml/imported.ts loads it in a worker.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { type ModelOutput, modelOutputOf } from './model-output.js';
import { checkUserFile, readUserFile, UserFileError } from '../util/user-file.js';

/** A model file that cannot be used, naming the file and what to do. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ModelFileError';
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

export interface ModelFileFacts {
  /** sha256 over model.json and its weight files, in manifest order. */
  hash: string;
  /** One record's input shape (null: any size), when the topology names it. */
  input: (number | null)[] | null;
  /** The number of outputs of the last layer with `units`, when the topology names it. */
  outputs: number | null;
  /** What the model outputs: read from its final activation, else as the spec declares it. */
  output: ModelOutput;
}

/** The most bytes a model.json may hold (its weights are in the files it names). */
export const MODEL_JSON_LIMIT = 64 * 1024 ** 2;

/** One weight as a model.json's manifest lists it. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: { dtype?: string };
}

/** A model.json and the weight files it names, read once: what is hashed is what is loaded. */
export interface ModelFileBytes {
  json: Obj;
  text: Buffer;
  weightSpecs: WeightEntry[];
  /** The weight files' bytes, in manifest order. */
  weights: Buffer[];
  /** sha256 over model.json and its weight files, in manifest order. */
  hash: string;
}

/** A file's bytes through util/user-file.ts, its refusals as ModelFileErrors naming `named` (as the user wrote it). */
function readChecked(model: string, file: string, what: string, limit: number, named = file): Buffer {
  try {
    return readUserFile(file, { what, limit });
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new ModelFileError(
      model,
      `${named === model ? '' : `The ${what} "${named}": `}${e.message.slice(file.length + 2)}`,
    );
  }
}

/**
 * Reads model.json and every weight file its manifest names, refusing (a ModelFileError naming the path)
 * any path that is absolute or leads out of model.json's folder (`..`, or a symbolic link out), any
 * file that is not a regular file, and weight files whose sizes (stat, before a byte is read) differ
 * from what the manifest's dtypes and shapes need.
 */
export function readModelBytes(path: string): ModelFileBytes {
  let text: Buffer;
  try {
    text = readUserFile(path, { what: 'model file', limit: MODEL_JSON_LIMIT });
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    const missing = !existsSync(path);
    throw new ModelFileError(
      path,
      missing
        ? 'The model file does not exist or cannot be read; give the path of its model.json.'
        : e.message.slice(path.length + 2),
    );
  }
  const json = parseModelJson(path, text);
  const groups = json.weightsManifest as { paths: string[]; weights: WeightEntry[] }[];
  const weightSpecs = groups.flatMap((g) => g.weights);
  const need = weightSpecs.reduce((a, w) => a + weightBytes(path, w), 0);
  const files = groups.flatMap((g) => g.paths).map((p) => weightFile(path, p));
  const sizes = files.map((f) => checkedSize(path, f));
  const held = sizes.reduce((a, b) => a + b, 0);
  if (held !== need)
    throw new ModelFileError(
      path,
      `The weights manifest needs ${need} bytes of weights but the weight files hold ${held} (${files.map((f) => `"${f.named}"`).join(', ')}); are they from another model? Nothing was read from them.`,
    );
  const weights = files.map((f, i) => readChecked(path, f.real, 'weight file', sizes[i]!, f.named));
  const got = weights.reduce((a, b) => a + b.length, 0);
  if (got !== need)
    throw new ModelFileError(
      path,
      `The weight files changed while mia read them (${got} bytes, not ${need}); run again.`,
    );
  const h = createHash('sha256').update(text);
  for (const w of weights) h.update(w);
  return { json, text, weightSpecs, weights, hash: h.digest('hex') };
}

/** model.json's text as a Layers model: modelTopology, and a manifest of groups of string paths and weights. */
function parseModelJson(path: string, text: Buffer): Obj {
  let json: Obj | undefined;
  try {
    json = obj(JSON.parse(text.toString('utf8')));
  } catch (e) {
    throw new ModelFileError(path, `The model file is not JSON (${(e as Error).message}).`);
  }
  const manifest = json?.weightsManifest;
  if (!json || !obj(json.modelTopology) || !Array.isArray(manifest))
    throw new ModelFileError(
      path,
      'This is not a TensorFlow.js Layers model (model.json needs "modelTopology" and "weightsManifest"). Save it with' +
        ' model.save(), or convert a Keras model with tensorflowjs_converter --output_format tfjs_layers_model.',
    );
  manifest.forEach((g, i) => {
    const group = obj(g);
    if (!group || !Array.isArray(group.paths) || !group.paths.every((p) => typeof p === 'string'))
      throw new ModelFileError(path, `Group ${i} of the weights manifest needs "paths", a list of file names.`);
    if (!Array.isArray(group.weights) || !group.weights.every((w) => obj(w) && Array.isArray(obj(w)!.shape)))
      throw new ModelFileError(
        path,
        `Group ${i} of the weights manifest needs "weights", a list of { name, shape, dtype }.`,
      );
  });
  return json;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/** The bytes one manifest entry needs: its values (shape) times its (quantised) dtype's size. */
function weightBytes(path: string, w: WeightEntry): number {
  const dtype = w.quantization ? (w.quantization.dtype ?? 'uint8') : (w.dtype ?? 'float32');
  const size = DTYPE_BYTES[dtype];
  if (!w.shape.every((d) => Number.isInteger(d) && d >= 0) || size === undefined)
    throw new ModelFileError(
      path,
      `The weight "${String(w.name)}" has ${size === undefined ? `dtype ${JSON.stringify(dtype)}, which mia cannot read` : `shape [${w.shape.join(', ')}], not a list of sizes`}.`,
    );
  return w.shape.reduce((a, b) => a * b, 1) * size;
}

/**
 * A weight file named in the manifest, resolved inside model.json's folder: an absolute path, `..` out
 * of it, or a symbolic link (anywhere on the way) out of it is refused with the path named.
 */
function weightFile(model: string, named: string): { named: string; real: string } {
  const out = (why: string) =>
    new ModelFileError(model, `The weight file "${named}" ${why}; a model's weight files must be in its own folder.`);
  if (named === '' || isAbsolute(named) || /^[a-zA-Z]:|^[\\/]/.test(named)) throw out('is an absolute path');
  const dir = dirname(resolve(model));
  const joined = resolve(dir, named);
  if (outside(dir, joined)) throw out("lies outside the model's folder");
  let real: string;
  let realDir: string;
  try {
    realDir = realpathSync(dir);
    real = realpathSync(joined);
  } catch {
    throw new ModelFileError(model, `The weight file "${named}" it names is missing (looked for ${joined}).`);
  }
  if (outside(realDir, real)) throw out(`is a link to ${real}, outside the model's folder`);
  return { named, real };
}

const outside = (dir: string, file: string): boolean => {
  const rel = relative(dir, file);
  return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
};

/** A weight file's size by stat (a regular file, within the limit), read from no byte. */
function checkedSize(model: string, f: { named: string; real: string }): number {
  try {
    return checkUserFile(f.real, { what: 'weight file' });
  } catch (e) {
    if (!(e instanceof UserFileError)) throw e;
    throw new ModelFileError(model, `The weight file "${f.named}": ${e.message.slice(f.real.length + 2)}`);
  }
}

/**
 * What the model outputs: what its final activation says (model-output.ts), which the spec's `output`
 * setting, where given, must agree with; the setting where the activation cannot be told; an error
 * asking for it when neither says.
 */
export function modelOutput(path: string, topology: unknown, declared: ModelOutput | undefined): ModelOutput {
  const { output, activation } = modelOutputOf(topology);
  if (output && declared && output !== declared)
    throw new ModelFileError(
      path,
      `The model ends in ${activation}, so it outputs ${output}, but the target says output: ${declared}. Remove the setting or fix it.`,
    );
  const o = output ?? declared;
  if (!o)
    throw new ModelFileError(
      path,
      `mia cannot tell whether the model outputs logits or probabilities (it ends in ${activation}); say which in the target: output: logits or output: probabilities.`,
    );
  return o;
}

export function modelFileFacts(path: string, declared?: ModelOutput): ModelFileFacts {
  const { json, hash } = readModelBytes(path);
  const output = modelOutput(path, json.modelTopology, declared);
  const topo = obj(json.modelTopology)!;
  const layers = (obj(obj(topo.model_config ?? topo)?.config)?.layers ?? []) as unknown[];
  const configs = layers.map((l) => obj(obj(l)?.config) ?? {});
  const bis = configs[0]?.batch_input_shape;
  const input = Array.isArray(bis) ? (bis.slice(1) as (number | null)[]) : null;
  const last = [...configs].reverse().find((c) => typeof c.units === 'number');
  return { hash, input, outputs: last ? (last.units as number) : null, output };
}

/** Throws a ModelFileError when what the topology says does not fit records of `shape` in `classes` classes. */
export function checkModelFileFits(path: string, f: ModelFileFacts, data: { shape: number[]; classes: number }): void {
  const input = f.input;
  if (input && !(input.length === data.shape.length && input.every((d, i) => d === null || d === data.shape[i])))
    throw new ModelFileError(
      path,
      `The model takes inputs of shape [${input.map((d) => d ?? '?').join(', ')}] but the data's records have shape` +
        ` [${data.shape.join(', ')}]. Query it with data of the shape it was trained on.`,
    );
  if (f.outputs !== null && f.outputs !== data.classes)
    throw new ModelFileError(
      path,
      `The model has ${f.outputs} outputs but the data has ${data.classes} classes; it needs one output per class.`,
    );
}
