/**
 * Runs an ONNX model with onnxruntime-node (an optional dependency, loaded only when a spec has an
 * ONNX model): one session per job, one thread per session (the worker pool already uses the cores),
 * records fed in batches as ml/onnx-model.ts laid them out, answers returned as logits.
 */
import { createRequire } from 'node:module';
import { ModelFileError } from './model-file.js';
import type { OnnxFacts } from './onnx-model.js';

/** onnxruntime-node is not installed: a spec with an ONNX model cannot run (exit 2, before any work). */
export class OnnxUnavailable extends Error {}

export const ONNX_MISSING =
  'This spec has an ONNX model, which needs onnxruntime-node, and it is not installed: run `npm install onnxruntime-node@1.31.1` beside mia.';

/**
 * The package that runs ONNX models: onnxruntime-node. MIA_TEST_ONNXRUNTIME_ABSENT=1 (tests only) resolves a
 * subpath onnxruntime-node does not have instead, so a test sees mia on a machine without onnxruntime through
 * this same code. The variable can only make ONNX unavailable: unlike a package name taken from the
 * environment (MIA_ONNXRUNTIME_PACKAGE before), it cannot make mia import any other module, and a spec
 * cannot set environment variables (`env("VAR")` only reads one into a remote target's header).
 */
const runtimePackage = (): string =>
  process.env.MIA_TEST_ONNXRUNTIME_ABSENT === '1' ? 'onnxruntime-node/absent-for-tests' : 'onnxruntime-node';

/** Whether onnxruntime-node can be found (a synchronous check for the planner; loading it is the worker's). */
export function requireOnnxRuntime(): void {
  try {
    createRequire(import.meta.url).resolve(runtimePackage());
  } catch {
    throw new OnnxUnavailable(ONNX_MISSING);
  }
}

type Ort = typeof import('onnxruntime-node');
let ort: Promise<Ort> | null = null;

async function loadOrt(): Promise<Ort> {
  ort ??= (import(runtimePackage()) as Promise<Ort>).catch(() => {
    ort = null;
    throw new OnnxUnavailable(ONNX_MISSING);
  });
  return ort;
}

/** Records per run when the model's batch axis is dynamic. */
const BATCH = 256;

/** One record (mia's [h, w, c] or flat order) written into `out` as the model takes it. */
function layRecord(src: Float32Array, out: Float32Array, shape: number[], layout: OnnxFacts['layout']): void {
  if (layout !== 'nchw') {
    out.set(src);
    return;
  }
  const [h, w, c] = shape as [number, number, number];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(k * h + y) * w + x] = src[(y * w + x) * c + k]!;
}

/** The model's answers on `n` records of `x` as logits (n × classes); probabilities become their logs. */
export async function queryOnnx(
  path: string,
  bytes: Uint8Array,
  facts: OnnxFacts,
  data: { x: Float32Array; n: number; shape: number[]; classes: number },
  progress: (done: number, total: number) => void = () => {},
): Promise<Float32Array> {
  const rt = await loadOrt();
  let session;
  try {
    session = await rt.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    throw new ModelFileError(path, `onnxruntime cannot load the model: ${firstLine(e)}`);
  }
  const f = data.shape.reduce((a, b) => a * b, 1);
  const c = data.classes;
  const size = facts.batch || BATCH;
  const dims = modelDims(data.shape, facts.layout);
  const out = new Float32Array(data.n * c);
  try {
    for (let at = 0; at < data.n; at += size) {
      const m = Math.min(size, data.n - at);
      const rows = facts.batch || m; // a fixed batch is padded with zero records
      const buf = new Float32Array(rows * f);
      for (let i = 0; i < m; i++)
        layRecord(
          data.x.subarray((at + i) * f, (at + i + 1) * f),
          buf.subarray(i * f, (i + 1) * f),
          data.shape,
          facts.layout,
        );
      const res = await session.run({ [facts.input]: new rt.Tensor('float32', buf, [rows, ...dims]) }, [
        facts.outputName,
      ]);
      const y = res[facts.outputName];
      if (!y || !(y.data instanceof Float32Array) || y.data.length !== rows * c)
        throw new ModelFileError(
          path,
          `The model's output "${facts.outputName}" is not ${rows} × ${c} float32 values.`,
        );
      out.set(y.data.subarray(0, m * c), at * c);
      progress(at + m, data.n);
    }
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(path, `onnxruntime failed on the model: ${firstLine(e)}`);
  } finally {
    await session.release();
  }
  if (facts.output === 'probabilities')
    for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(out[i]!, 1e-30));
  return out;
}

/** The dimensions of one record as the model takes it. */
function modelDims(shape: number[], layout: OnnxFacts['layout']): number[] {
  if (layout === 'flat') return [shape.reduce((a, b) => a * b, 1)];
  const [h, w, c] = shape as [number, number, number];
  return layout === 'nchw' ? [c, h, w] : [h, w, c];
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
