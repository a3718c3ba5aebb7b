/** `audit { attacks [lira, loss], confidence: 95%, delta: 1e-5, threshold: bonferroni, methods [...] }` in the report. */
import { AUDIT_METHODS } from '../../audit/index.js';
import type { Entry, Expr, Range } from '../../lang/index.js';
import type { AuditDef, AuditThreshold } from '../../kinds/program.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';

const SETTINGS = ['attacks', 'confidence', 'delta', 'threshold', 'methods'] as const;
export const AUDIT_METHOD_NAMES = AUDIT_METHODS.map((m) => m.name);

export function readAudit(ctx: ReadContext, entry: Entry): AuditDef | undefined {
  const { r, loc } = ctx;
  const block = r.block(entry.value, 'The audit of the report');
  if (!block) return undefined;
  const es = r.entries(block, 'the audit', SETTINGS);
  const fields: Record<string, Range> = {};
  for (const [k, e] of es) fields[k] = e.value.range;
  const names = (k: string, what: string): string[] | undefined => {
    const e = es.get(k);
    if (!e) return [];
    const items = r.list(e.value, what);
    const out = items?.map((i, n) => {
      fields[`${k}.${n}`] = i.range;
      return r.name(i, `An item of ${what.toLowerCase()}`);
    });
    return out?.every((x): x is string => x !== undefined) ? out : undefined;
  };
  const attacks = names('attacks', 'The attacks of the audit');
  const methods = names('methods', 'The methods of the audit');
  const confidence = fraction(ctx, es.get('confidence')?.value, 'The confidence of the audit', 0.95);
  const delta = fraction(ctx, es.get('delta')?.value, 'The delta of the audit', 1e-5);
  const threshold = readThreshold(ctx, es.get('threshold')?.value);
  let ok = attacks !== undefined && methods !== undefined;
  for (const [i, m] of (methods ?? []).entries())
    if (!AUDIT_METHOD_NAMES.includes(m)) {
      r.error(
        'E155',
        `Unknown audit method "${m}".${didYouMean(m, AUDIT_METHOD_NAMES)}`,
        fields[`methods.${i}`]!,
        `Methods: ${AUDIT_METHOD_NAMES.join(', ')}.`,
      );
      ok = false;
    }
  if (!ok || confidence === undefined || delta === undefined || !threshold) return undefined;
  const def: AuditDef = {
    attacks: attacks!,
    methods: methods!.length ? methods! : AUDIT_METHOD_NAMES.slice(),
    confidence,
    delta,
    threshold,
    file: r.file,
    range: entry.range,
  };
  loc.put(def, r.file, entry.keyRange, fields);
  return def;
}

/** A number (or percentage) strictly between 0 and 1; `dflt` when absent. */
function fraction(ctx: ReadContext, e: Expr | undefined, what: string, dflt: number): number | undefined {
  if (!e) return dflt;
  const v = ctx.r.number(e, what, { percent: true });
  if (v === undefined) return undefined;
  if (v > 0 && v < 1) return v;
  ctx.r.error('E111', `${what} must be strictly between 0 and 1, not ${v}.`, e.range, 'E.g. 95% or 1e-5.');
  return undefined;
}

function readThreshold(ctx: ReadContext, e: Expr | undefined): AuditThreshold | undefined {
  if (!e) return { kind: 'bonferroni' };
  if (e.kind === 'number') return { kind: 'given', threshold: e.value };
  const choices = ['bonferroni', 'split'] as const;
  const k = ctx.r.oneOf(e, 'audit threshold', choices);
  return k ? { kind: k } : undefined;
}
