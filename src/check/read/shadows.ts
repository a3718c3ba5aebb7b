/**
 * Shadow / reference models: a block `shadows refs { model, count, pool, size, sampling, defenses }` (models
 * mia trains) or a source call, `shadows refs = onnx_models("refs/*.onnx") { in, pool }` (src/check/read/shadow-sources/).
 */
import type { Item, Range } from '../../lang/index.js';
import type { ShadowsDef } from '../../kinds/program.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { callParts } from './expr-reader.js';
import { SHADOW_SOURCES } from './shadow-sources/index.js';

export { SAMPLINGS } from './shadow-sources/index.js';

/** The shadow sources' names. */
export const SHADOW_KINDS: readonly string[] = SHADOW_SOURCES.filter((s) => !s.bare).map((s) => s.kind);

export function readShadows(ctx: ReadContext, s: Extract<Item, { kind: 'shadows' }>): ShadowsDef | undefined {
  const { r, loc } = ctx;
  const bare = SHADOW_SOURCES.find((x) => x.bare);
  const c =
    s.value.kind === 'block' && bare
      ? { name: bare.kind, nameRange: s.nameRange, args: [], block: s.value.block, range: s.value.range }
      : callParts(s.value);
  const source = c ? SHADOW_SOURCES.find((x) => x.kind === c.name) : undefined;
  if (!c || !source || (source.bare && s.value.kind !== 'block')) {
    const usages = SHADOW_SOURCES.map((x) => x.usage);
    r.error(
      'E198',
      `The shadows "${s.name}" must be ${usages.slice(0, -1).join(', ')} or ${usages.at(-1)}.${c ? didYouMean(c.name, SHADOW_KINDS) : ''}`,
      c?.nameRange ?? s.value.range,
    );
    return undefined;
  }
  const fields: Record<string, Range> = { name: s.nameRange };
  const def = source.read(ctx, s, c, fields);
  if (def) loc.put(def, r.file, s.range, fields);
  return def;
}
