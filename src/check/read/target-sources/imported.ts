import type { ReadContext } from '../context.js';
import type { Param } from '../expr-reader.js';
import type { TargetCommon } from './source.js';
import { defineTargetSource } from './source.js';

/** What an imported model outputs, where its file cannot tell. */
const IMPORTED_OUTPUTS = ['logits', 'probabilities'] as const;

/** An imported target's `output: logits | probabilities` ({} when absent, undefined when wrong). */
function importedOutput(ctx: ReadContext, e: Param | undefined): { output?: 'logits' | 'probabilities' } | undefined {
  if (!e) return {};
  const output = ctx.r.oneOf(e.value, 'output', IMPORTED_OUTPUTS);
  return output ? { output } : undefined;
}

// The fields in the order a target definition has always listed them (results and hashes read them).
const withPath = ({ name, members, nonmembers, defenses, file, range }: TargetCommon, path: string) => ({
  name,
  path,
  members,
  nonmembers,
  defenses,
  file,
  range,
});

/** A tfjs model on disk: `target t = imported("model.json") { members, nonmembers, output }`. */
export const imported = defineTargetSource({
  kind: 'imported',
  usage: 'imported("model.json") { ... }',
  positional: ['path'],
  named: ['output'],
  docs: {
    path: { type: 'string', default: 'required', doc: 'The model file (model.json, or .onnx), relative to the spec.' },
    output: {
      type: IMPORTED_OUTPUTS.join(' | '),
      default: 'from the file',
      doc: 'What the model outputs.',
      options: IMPORTED_OUTPUTS,
    },
  },
  read: (ctx, what, p, need, common) => {
    const pE = need('path');
    const path = pE ? ctx.r.string(pE.value, `The path of ${what}`) : undefined;
    const out = importedOutput(ctx, p.get('output'));
    return path !== undefined && common && out ? { kind: 'imported', ...withPath(common, path), ...out } : undefined;
  },
});
