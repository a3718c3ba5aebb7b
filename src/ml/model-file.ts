/**
 * What can be known of an imported model without TensorFlow.js (the main thread, at plan time): its
 * files' content hash (model.json and every weight file its manifest names; part of the job hashes,
 * so a replaced model re-runs what queries it) and, where the topology says, its input shape and
 * output count, checked against the data before any job runs. ml/imported.ts loads it in a worker.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
}

export function modelFileFacts(path: string): ModelFileFacts {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    throw new ModelFileError(path, 'The model file does not exist or cannot be read; give the path of its model.json.');
  }
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
  const h = createHash('sha256').update(text);
  for (const g of manifest as { paths?: string[] }[])
    for (const p of g.paths ?? []) {
      const file = join(dirname(path), p);
      try {
        h.update(readFileSync(file));
      } catch {
        throw new ModelFileError(path, `The weight file "${p}" it names is missing (looked for ${file}).`);
      }
    }
  const topo = obj(json.modelTopology)!;
  const layers = (obj(obj(topo.model_config ?? topo)?.config)?.layers ?? []) as unknown[];
  const configs = layers.map((l) => obj(obj(l)?.config) ?? {});
  const bis = configs[0]?.batch_input_shape;
  const input = Array.isArray(bis) ? (bis.slice(1) as (number | null)[]) : null;
  const last = [...configs].reverse().find((c) => typeof c.units === 'number');
  return { hash: h.digest('hex'), input, outputs: last ? (last.units as number) : null };
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
