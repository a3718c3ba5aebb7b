/**
 * An ONNX model as the planner sees it (main thread, synchronous, no onnxruntime): its bytes' sha256
 * (part of the job hash), its one input and the output mia reads, checked against the data's shape and
 * classes, what that output is (a final Softmax: probabilities) and how a record is laid out for it
 * (an image as NCHW or NHWC, or flattened). Read from the graph where it can tell, else from the
 * target's `output` and `layout`; a setting the graph contradicts is an error. ml/onnx-runtime.ts runs it.
 */
import { createHash } from 'node:crypto';
import { ModelFileError } from './model-file.js';
import { type OnnxDim, OnnxFormatError, type OnnxValue, readOnnxGraph } from './onnx-graph.js';
import { readUserFile, UserFileError } from '../util/user-file.js';

export type OnnxOutput = 'logits' | 'probabilities';
/** How a record is fed: an image channels first or last, or every record as one flat row (tables, MLPs on pixels). */
export type OnnxLayout = 'nchw' | 'nhwc' | 'flat';

/** What the target declares, where the graph cannot tell. */
export interface OnnxDeclared {
  output?: OnnxOutput;
  layout?: 'nchw' | 'nhwc';
}

/** What a query job needs to run the model: all of it in the job's hash. */
export interface OnnxFacts {
  /** sha256 of the file's bytes; the worker refuses other bytes. */
  hash: string;
  input: string;
  outputName: string;
  output: OnnxOutput;
  layout: OnnxLayout;
  /** Records per run: the input's fixed batch size, or 0 when its batch axis is dynamic. */
  batch: number;
}

/** Operators whose output is the model's logits (or log-probabilities, which softmax to the same probabilities). */
const LOGIT_OPS = new Set(['Gemm', 'MatMul', 'Add', 'LogSoftmax', 'Conv', 'Flatten', 'Reshape', 'Squeeze']);

/** The file's bytes (a regular file, at most 2 GB), its problems as ModelFileErrors naming it. */
export function readOnnxBytes(path: string): Buffer {
  try {
    return readUserFile(path, {
      what: 'ONNX model file',
      missing: 'The ONNX model file does not exist; check the path (relative to the .mia file).',
    });
  } catch (e) {
    if (e instanceof UserFileError) throw new ModelFileError(path, e.message.slice(path.length + 2));
    throw e;
  }
}

const dimText = (d: OnnxDim): string => (d === null ? '?' : String(d));
const shapeText = (dims: OnnxDim[]): string => `[${dims.map(dimText).join(', ')}]`;

/** Reads the file and checks it against the data: its facts, or a ModelFileError saying which dimension differs. */
export function onnxFacts(path: string, data: { shape: number[]; classes: number }, declared: OnnxDeclared): OnnxFacts {
  const bytes = readOnnxBytes(path);
  const fail = (msg: string): never => {
    throw new ModelFileError(path, msg);
  };
  let graph;
  try {
    graph = readOnnxGraph(bytes);
  } catch (e) {
    if (e instanceof OnnxFormatError) return fail(`This is not a readable ONNX model: ${e.message}. Export it again.`);
    throw e;
  }
  if (graph.inputs.length !== 1)
    fail(`The model has ${graph.inputs.length} inputs (${graph.inputs.map((v) => v.name).join(', ')}); mia feeds one.`);
  const input = graph.inputs[0]!;
  if (input.elemType !== 1) fail(`The model's input "${input.name}" is not float32; export it with float32 inputs.`);
  const out = pickOutput(graph.outputs, fail);
  const batch = batchOf(input, fail);
  const layout = layoutOf(input, data.shape, declared.layout, fail);
  const classes = out.dims![1]!;
  if (typeof classes === 'number' && classes !== data.classes)
    fail(
      `The model's output "${out.name}" has ${classes} classes (dimension 1 of ${shapeText(out.dims!)}), the data ${data.classes}.`,
    );
  const output = outputOf(graph.producers.get(out.name), declared.output, fail);
  const hash = createHash('sha256').update(bytes).digest('hex');
  return { hash, input: input.name, outputName: out.name, output, layout, batch };
}

/** The output mia reads: the one float tensor of rank 2 (a Softmax's first, where several are). */
function pickOutput(outputs: OnnxValue[], fail: (m: string) => never): OnnxValue {
  const rows = outputs.filter((o) => o.elemType === 1 && o.dims?.length === 2);
  if (!rows.length)
    fail(
      `No output of the model is a float32 matrix [records, classes] (it has ${outputs.map((o) => `"${o.name}" ${o.dims ? shapeText(o.dims) : '(no shape)'}`).join(', ')}); ` +
        'export the scores (with skl2onnx, options={"zipmap": False}).',
    );
  return rows.find((o) => /prob/i.test(o.name)) ?? rows[0]!;
}

/** A fixed batch axis (a number) is honoured, records padded to it; a symbolic one takes any batch. */
function batchOf(input: OnnxValue, fail: (m: string) => never): number {
  const d = input.dims?.[0];
  if (input.dims === null || input.dims.length < 2)
    fail(`The model's input "${input.name}" has no [batch, ...] shape; export it with a batch axis.`);
  return typeof d === 'number' ? d : 0;
}

/** How records are fed, checked dimension by dimension against the data's shape ([d], or [h, w, c] images). */
function layoutOf(
  input: OnnxValue,
  shape: number[],
  declared: OnnxDeclared['layout'],
  fail: (m: string) => never,
): OnnxLayout {
  const dims = input.dims!.slice(1);
  const fits = (want: number[]): boolean =>
    dims.length === want.length && dims.every((d, i) => typeof d !== 'number' || d === want[i]);
  const features = shape.reduce((a, b) => a * b, 1);
  const seen = `the data's records are ${shape.length === 1 ? `${shape[0]} features` : `[${shape.join(', ')}] images (height, width, channels)`}`;
  const name = `"${input.name}" ${shapeText(input.dims!)}`;
  if (dims.length === 1) {
    if (!fits([features]))
      fail(`The model's input ${name} takes ${dimText(dims[0]!)} features (dimension 1), but ${seen}.`);
    if (declared) fail(`layout: ${declared} is for image inputs of rank 4; the model's input ${name} is flat.`);
    return 'flat';
  }
  if (shape.length !== 3) fail(`The model's input ${name} takes images, but ${seen}.`);
  const [h, w, c] = shape as [number, number, number];
  const chw = fits([c, h, w]);
  const hwc = fits([h, w, c]);
  if (dims.length !== 3 || (!chw && !hwc))
    fail(
      `The model's input ${name} fits neither [batch, ${c}, ${h}, ${w}] (NCHW) nor [batch, ${h}, ${w}, ${c}] (NHWC): ${seen}.`,
    );
  if (declared === 'nchw' && !chw) fail(`layout: nchw does not fit the model's input ${name}: ${seen}.`);
  if (declared === 'nhwc' && !hwc) fail(`layout: nhwc does not fit the model's input ${name}: ${seen}.`);
  if (declared) return declared;
  if (chw && hwc)
    fail(`The model's input ${name} could be NCHW or NHWC for ${seen}; say which with layout: nchw or layout: nhwc.`);
  return chw ? 'nchw' : 'nhwc';
}

/** A final Softmax outputs probabilities, a linear operator logits; otherwise the target must say. */
function outputOf(op: string | undefined, declared: OnnxOutput | undefined, fail: (m: string) => never): OnnxOutput {
  const read: OnnxOutput | undefined =
    op === 'Softmax' ? 'probabilities' : op !== undefined && LOGIT_OPS.has(op) ? 'logits' : undefined;
  if (read && declared && read !== declared)
    fail(`The model's output comes from a ${op} node, so it outputs ${read}, not ${declared} as the target says.`);
  const out = read ?? declared;
  if (!out)
    fail(
      `Cannot tell what the model outputs (its last node is ${op ?? 'none'}); say it in the target: output: logits or output: probabilities.`,
    );
  return out!;
}
