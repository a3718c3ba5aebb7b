/** Attacks: `attack NAME = KIND { settings }`, read against the kind's descriptor (src/attacks/kinds/). */
import { attackKinds } from '../../attacks/kinds/index.js';
import type { Item, Range } from '../../lang/index.js';
import type { AttackDef } from '../../kinds/program.js';
import { writtenSettings } from '../../attacks/index.js';
import { forwardedAttack } from './attack-forward.js';
import { callParts } from './expr-reader.js';
import { didYouMean } from '../../util/suggest.js';
import type { ReadContext } from './context.js';
import { readSettings } from './settings.js';

export function readAttack(ctx: ReadContext, a: Extract<Item, { kind: 'attack' }>): AttackDef | undefined {
  const { r, loc } = ctx;
  const c = callParts(a.value);
  if (!c) {
    r.error('E140', `The attack "${a.name}" must name an attack kind, e.g. threshold { signal: loss }.`, a.value.range);
    return undefined;
  }
  const kinds = attackKinds();
  const named = kinds.find((k) => k.kind === c.name);
  if (!named) {
    const names = kinds.map((k) => k.kind);
    r.error(
      'E141',
      `Unknown attack kind "${c.name}".${didYouMean(c.name, names)}`,
      c.nameRange,
      `Attack kinds: ${names.join(', ')}.`,
    );
    return undefined;
  }
  const fwd = forwardedAttack(named, c, kinds);
  const d = fwd?.descriptor ?? named;
  const what = `the ${c.name} attack "${a.name}"${fwd?.note ?? ''}`;
  const read = readSettings(
    ctx,
    fwd?.parts ?? c,
    fwd ? d.settings : writtenSettings(d),
    d.positional ?? [],
    what,
    `The ${c.name} attack "${a.name}"${fwd?.note ?? ''}`,
    a.nameRange,
  );
  if (!read.settings) return undefined;
  const def: AttackDef = { kind: d.kind, name: a.name, settings: read.settings, file: r.file, range: a.range };
  const fields: Record<string, Range> = { name: a.nameRange, kind: c.nameRange, ...read.fields };
  loc.put(def, r.file, a.range, fields);
  return def;
}
