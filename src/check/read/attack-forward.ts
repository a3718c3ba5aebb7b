/**
 * An attack setting's value that stands for another kind (a descriptor's `forwards`): `label_only { method:
 * boundary, radius: 3 }` is read as `boundary_distance { radius: 3 }`, the forwarding setting dropped, so it
 * plans exactly that attack (same jobs, same scores).
 */
import type { AnyAttack } from '../../attacks/kind.js';
import type { CallParts } from './expr-reader.js';

export interface Forwarded {
  descriptor: AnyAttack;
  parts: CallParts;
  /** How messages name it: `the label_only attack "b" (method boundary: the boundary_distance attack)`. */
  note: string;
}

export function forwardedAttack(d: AnyAttack, c: CallParts, kinds: readonly AnyAttack[]): Forwarded | null {
  for (const f of d.forwards ?? []) {
    const isIt = (name: string | null, v: CallParts['args'][number]['value']): boolean =>
      name === f.setting && v.kind === 'ident' && v.name === f.value;
    const hit = c.args.some((a) => isIt(a.name, a.value)) || !!c.block?.entries.some((e) => isIt(e.key, e.value));
    const to = kinds.find((k) => k.kind === f.to);
    if (!hit || !to) continue;
    const parts: CallParts = {
      ...c,
      args: c.args.filter((a) => !isIt(a.name, a.value)),
      block: c.block && { ...c.block, entries: c.block.entries.filter((e) => !isIt(e.key, e.value)) },
    };
    return { descriptor: to, parts, note: ` (${f.setting} ${f.value}: the ${f.to} attack)` };
  }
  return null;
}
