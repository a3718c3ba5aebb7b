/**
 * Reference models the user trained, as ONNX files:
 * `shadows refs = onnx_models("refs/*.onnx") { in: "refs/in.npy", pool: data, output, layout }` or
 * `onnx_models(["refs/a.onnx", "refs/b.onnx"]) { ... }`. The files are read (and the glob matched) by the plan.
 */
import type { OnnxShadowsDef } from '../../../kinds/program.js';
import type { Expr } from '../../../lang/index.js';
import type { ReadContext } from '../context.js';
import { readDataRef } from '../data.js';
import { params, type Param } from '../expr-reader.js';
import { defineShadowSource } from './source.js';

/** `output` and `layout`, as for an ONNX target: {} when absent, undefined when wrong. */
function optional<T extends string>(ctx: ReadContext, e: Param | undefined, key: string, values: readonly T[]) {
  if (!e) return {};
  const v = ctx.r.oneOf(e.value, key, values);
  return v ? { [key]: v } : undefined;
}

/** The files: one path or glob, or a list of paths (at least one). */
function readModels(ctx: ReadContext, e: Expr, what: string): string | string[] | undefined {
  const { r } = ctx;
  if (e.kind !== 'list') return r.string(e, `The model files of ${what}`);
  if (e.items.length === 0) {
    r.error(
      'E199',
      `The list of model files of ${what} is empty.`,
      e.range,
      'Name the ONNX files, or a glob as "refs/*.onnx".',
    );
    return undefined;
  }
  const files = e.items.map((i) => r.string(i, `A model file of ${what}`));
  return files.every((f): f is string => f !== undefined) ? files : undefined;
}

export const onnxModels = defineShadowSource({
  kind: 'onnx_models',
  usage: 'onnx_models("refs/*.onnx") { in, pool }',
  read(ctx, s, c, fields) {
    const { r } = ctx;
    const what = `shadows "${s.name}"`;
    const p = params(r, c, `the ${what}`, ['models'], ['in', 'pool', 'output', 'layout']);
    for (const [k, v] of p) fields[k] = v.value.range;
    const modelsE = r.required(p, 'models', `The ${what}`, s.nameRange);
    const inE = r.required(p, 'in', `The ${what}`, s.nameRange);
    const models = modelsE ? readModels(ctx, modelsE.value, what) : undefined;
    const mask = inE ? r.string(inE.value, `The in mask of ${what}`) : undefined;
    const poolE = p.get('pool');
    const pool = poolE ? readDataRef(ctx, poolE.value, 'The pool of reference models') : undefined;
    if (pool?.ops.length)
      r.error(
        'E199',
        `The pool of ${what} must be a whole dataset ("${pool.dataset}"): the columns of its in mask are that dataset's records in file order.`,
        pool.range,
        `Write pool: ${pool.dataset}, or leave pool out to use the targets' records (members, then non-members).`,
      );
    const output = optional(ctx, p.get('output'), 'output', ['logits', 'probabilities'] as const);
    const layout = optional(ctx, p.get('layout'), 'layout', ['nchw', 'nhwc'] as const);
    if (models === undefined || mask === undefined || (poolE && (!pool || pool.ops.length)) || !output || !layout)
      return undefined;
    const def: OnnxShadowsDef = {
      source: 'onnx_models',
      name: s.name,
      models,
      in: mask,
      ...(pool ? { pool } : {}),
      ...output,
      ...layout,
      file: r.file,
      range: s.range,
    };
    return def;
  },
});
