/** An ONNX target: `target t = onnx("model.onnx") { members, nonmembers, output, layout, defenses }`. */
import type { TargetDef } from '../../../kinds/program.js';
import type { ReadContext } from '../context.js';
import type { Param } from '../expr-reader.js';
import { defineTargetSource, type TargetCommon } from './source.js';

/** `output: logits | probabilities` and `layout: nchw | nhwc`: {} when absent, undefined when wrong. */
function optional<T extends string>(ctx: ReadContext, e: Param | undefined, key: string, values: readonly T[]) {
  if (!e) return {};
  const v = ctx.r.oneOf(e.value, key, values);
  return v ? { [key]: v } : undefined;
}

function readOnnxTarget(
  ctx: ReadContext,
  what: string,
  p: Map<string, Param>,
  need: (k: string) => Param | undefined,
  common: TargetCommon | null,
): TargetDef | undefined {
  const pE = need('path');
  const path = pE ? ctx.r.string(pE.value, `The path of ${what}`) : undefined;
  const output = optional(ctx, p.get('output'), 'output', ['logits', 'probabilities'] as const);
  const layout = optional(ctx, p.get('layout'), 'layout', ['nchw', 'nhwc'] as const);
  if (path === undefined || !common || !output || !layout) return undefined;
  const { name, members, nonmembers, defenses, file, range } = common;
  return { kind: 'onnx', name, path, ...output, ...layout, members, nonmembers, defenses, file, range } as TargetDef;
}

export const onnx = defineTargetSource({
  kind: 'onnx',
  usage: 'onnx("model.onnx") { ... }',
  positional: ['path'],
  named: ['output', 'layout'],
  docs: {
    path: {
      type: 'string',
      default: 'required',
      doc: 'The .onnx file (PyTorch, Keras, scikit-learn), relative to the spec.',
    },
    output: {
      type: 'logits | probabilities',
      default: 'from the graph',
      doc: 'What the model outputs, where its graph cannot tell.',
      options: ['logits', 'probabilities'],
    },
    layout: {
      type: 'nchw | nhwc',
      default: 'from the graph',
      doc: "The image input's axis order, where its graph cannot tell.",
      options: ['nchw', 'nhwc'],
    },
  },
  noHillClimb: (dataset, target) =>
    `"${dataset}" would hill-climb on the ONNX target "${target}", which is not supported yet. Use marginals.`,
  read: readOnnxTarget,
});
