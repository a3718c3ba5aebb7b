import { check, type TypedProgram } from '../../src/check/index.js';
import { parse } from '../../src/lang/index.js';
import { compile, type Plan } from '../../src/plan/index.js';

/** A checked program from source text; throws on errors. */
export function program(src: string): TypedProgram {
  const p = parse(src, 't.mia');
  const c = check(p.value, 't.mia');
  const errors = [...p.diagnostics, ...c.diagnostics].filter((d) => d.severity === 'error');
  if (errors.length || !c.value) throw new Error(errors.map((d) => d.message).join('\n'));
  return c.value;
}

/** The plan of a checked program; throws with the planner's diagnostics (code: message) when it has none. */
export function compilePlan(...args: Parameters<typeof compile>): Plan {
  const r = compile(...args);
  if (!r.value) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'));
  return r.value;
}
