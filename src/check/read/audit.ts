/** `audit { attacks [lira, loss], confidence: 95%, delta: 1e-5, threshold: bonferroni, methods [...] }` in the report. */
import { AUDIT_METHODS, methodsAt } from '../../audit/index.js';
import { AUDIT_SCHEMA } from '../../audit/settings.js';
import type { Entry, Range } from '../../lang/index.js';
import type { AuditDef, AuditThreshold } from '../../kinds/program.js';
import type { SettingsOf } from '../../kinds/schema.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readSettings, withDefaults } from './settings.js';

export const AUDIT_METHOD_NAMES = AUDIT_METHODS.map((m) => m.name);

/**
 * The report's audit, read against its schema (src/audit/settings.ts); the bounds of confidence and delta
 * are the rules' (setting-bounds), the methods' names and their δ = 0 forms are judged here.
 */
export function readAudit(ctx: ReadContext, entry: Entry): AuditDef | undefined {
  const { r, loc } = ctx;
  const block = r.block(entry.value, 'The audit of the report');
  if (!block) return undefined;
  const c = { name: '', nameRange: block.range, args: [], block, range: block.range };
  const read = readSettings(ctx, c, AUDIT_SCHEMA, [], 'the audit', 'The audit', block.range);
  const fields = read.fields;
  const s = read.partial as Partial<SettingsOf<typeof AUDIT_SCHEMA>>;
  const known = knownMethods(ctx, s.methods ?? [], fields);
  if (known && s.attacks && s.methods && s.delta === 0) pureDpMethods(ctx, s.methods, fields);
  // A wrongly written setting or method is reported: the rest is kept, so the rules still check it.
  const settings = withDefaults(AUDIT_SCHEMA, read) as SettingsOf<typeof AUDIT_SCHEMA> | undefined;
  if (!settings) return undefined;
  const { attacks, methods, confidence, delta, threshold } = settings;
  const def: AuditDef = {
    attacks: [...attacks],
    methods: methods.length ? [...methods] : methodsAt(delta).map((m) => m.name),
    confidence,
    delta,
    threshold: thresholdOf(threshold),
    file: r.file,
    range: entry.range,
  };
  loc.put(def, r.file, entry.keyRange, fields);
  return def;
}

const thresholdOf = (t: number | 'bonferroni' | 'split'): AuditThreshold =>
  typeof t === 'number' ? { kind: 'given', threshold: t } : { kind: t };

/** E155: each named method is one of AUDIT_METHODS; false when one is not. */
function knownMethods(ctx: ReadContext, methods: readonly string[], fields: Record<string, Range>): boolean {
  const unknown = methods.filter((m) => !AUDIT_METHOD_NAMES.includes(m));
  for (const [i, m] of methods.entries())
    if (unknown.includes(m))
      ctx.r.error(
        'E155',
        `Unknown audit method "${m}".${didYouMean(m, AUDIT_METHOD_NAMES)}`,
        fields[`methods.${i}`]!,
        `Methods: ${AUDIT_METHOD_NAMES.join(', ')}.`,
      );
  return unknown.length === 0;
}

/** At δ = 0 (pure DP) every named method must have a δ = 0 form (E156); false when one has not. */
function pureDpMethods(ctx: ReadContext, methods: readonly string[], fields: Record<string, Range>): boolean {
  const usable = methodsAt(0).map((m) => m.name);
  let ok = true;
  for (const [i, name] of methods.entries()) {
    const m = AUDIT_METHODS.find((x) => x.name === name);
    if (!m?.noPureDp) continue;
    ctx.r.error(
      'E156',
      `The audit method "${name}" has no δ = 0 form: ${m.noPureDp}`,
      fields[`methods.${i}`]!,
      `At delta: 0 use ${usable.join(' or ')}, or give delta > 0.`,
    );
    ok = false;
  }
  return ok;
}
