/** `audit { attacks [lira, loss], confidence: 95%, delta: 1e-5, threshold: bonferroni, methods [...] }` in the report. */
import { AUDIT_METHODS, methodsAt } from '../../audit/index.js';
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
  const delta = fraction(ctx, es.get('delta')?.value, 'The delta of the audit', 1e-5, true);
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
  if (ok && delta === 0) ok = pureDpMethods(ctx, methods!, fields);
  if (!ok || confidence === undefined || delta === undefined || !threshold) return undefined;
  const def: AuditDef = {
    attacks: attacks!,
    methods: methods!.length ? methods! : methodsAt(delta).map((m) => m.name),
    confidence,
    delta,
    threshold,
    file: r.file,
    range: entry.range,
  };
  loc.put(def, r.file, entry.keyRange, fields);
  return def;
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

/** A number (or percentage) strictly between 0 and 1 (or 0 too, with `zero`); `dflt` when absent. */
function fraction(ctx: ReadContext, e: Expr | undefined, what: string, dflt: number, zero = false): number | undefined {
  if (!e) return dflt;
  const v = ctx.r.number(e, what, { percent: true });
  if (v === undefined) return undefined;
  if ((v > 0 || (zero && v === 0)) && v < 1) return v;
  const range = zero ? 'at least 0 and below 1' : 'strictly between 0 and 1';
  ctx.r.error(
    'E117',
    `${what} must be ${range}, not ${v}.`,
    e.range,
    zero ? 'E.g. 1e-5, or 0 for pure DP.' : 'E.g. 95% or 1e-5.',
  );
  return undefined;
}

function readThreshold(ctx: ReadContext, e: Expr | undefined): AuditThreshold | undefined {
  if (!e) return { kind: 'bonferroni' };
  if (e.kind === 'number') return { kind: 'given', threshold: e.value };
  const choices = ['bonferroni', 'split'] as const;
  const k = ctx.r.oneOf(e, 'audit threshold', choices);
  return k ? { kind: k } : undefined;
}
