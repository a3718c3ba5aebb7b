/**
 * A family of kinds (attacks, data sources, defenses) as one registry: the built-in descriptors, then
 * those plugins register. Every family validates names the same way: a kind's name is a word of the
 * language (lower case letters, digits and _), registered once.
 */
export interface Registry<D extends { kind: string }> {
  /** Adds a kind; the same descriptor again is a no-op, another of the same name or a bad name an error. */
  register<E extends D>(d: E): E;
  /** The kind of that name, undefined when none is registered. */
  get(kind: string): D | undefined;
  /** Every registered kind, built-in ones first, in registration order. */
  all(): D[];
  /** The descriptor of a checked definition; an unregistered kind here is a bug (or a plugin not loaded). */
  of(def: { kind: string }): D;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** `noun` names one kind in messages, without article: "attack kind", "data source", "defense". */
export function makeRegistry<D extends { kind: string }>(noun: string, builtIn: readonly D[]): Registry<D> {
  const kinds = new Map<string, D>();
  const a = `${/^[aeiou]/.test(noun) ? 'An' : 'A'} ${noun}`;
  const register = <E extends D>(d: E): E => {
    const known = kinds.get(d.kind);
    if (known === d) return d;
    if (known) throw new Error(`${a} "${d.kind}" is already registered.`);
    if (!NAME.test(d.kind)) throw new Error(`${a}'s name must be lower case letters, digits and _, not "${d.kind}".`);
    kinds.set(d.kind, d);
    return d;
  };
  for (const d of builtIn) register(d);
  return {
    register,
    get: (kind) => kinds.get(kind),
    all: () => [...kinds.values()],
    of: (def) => {
      const d = kinds.get(def.kind);
      if (!d) throw new Error(`The ${noun} "${def.kind}" is not registered (is its plugin loaded in this thread?).`);
      return d;
    },
  };
}
