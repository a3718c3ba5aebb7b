/** One registry helper for every family of kinds (src/kinds/registry.ts): names validated alike, once each. */
import { describe, expect, it } from 'vitest';
import { attackKinds, registerAttack } from '../../src/attacks/index.js';
import { dataSourceKinds, registerDataSource } from '../../src/data/index.js';
import { defenseKinds, registerDefense } from '../../src/defenses/index.js';
import { makeRegistry } from '../../src/kinds/registry.js';

describe('the registry of a family of kinds', () => {
  it('registers, lists in order, finds and names the unregistered', () => {
    const r = makeRegistry('widget', [{ kind: 'a' }, { kind: 'b' }]);
    const c = r.register({ kind: 'c_2' });
    expect(r.all().map((k) => k.kind)).toEqual(['a', 'b', 'c_2']);
    expect(r.get('c_2')).toBe(c);
    expect(r.register(c)).toBe(c);
    expect(() => r.of({ kind: 'zz' })).toThrow('The widget "zz" is not registered');
  });

  it('refuses a second kind of a taken name and a name that is not a word, in every family', () => {
    const threshold = attackKinds().find((k) => k.kind === 'threshold')!;
    const mnist = dataSourceKinds().find((k) => k.kind === 'mnist')!;
    const attempts: [() => unknown, string][] = [
      [() => registerAttack({ ...threshold }), 'An attack kind "threshold" is already registered.'],
      [() => registerAttack({ ...threshold, kind: 'Bad-Name' }), `An attack kind's name must be lower case`],
      [() => registerDataSource({ ...mnist }), 'A data source "mnist" is already registered.'],
      [() => registerDataSource({ ...mnist, kind: '9x' }), `A data source's name must be lower case`],
      [() => registerDefense({ ...defenseKinds()[0]! }), `A defense "${defenseKinds()[0]!.kind}" is already`],
      [() => registerDefense({ ...defenseKinds()[0]!, kind: 'x y' }), `A defense's name must be lower case`],
    ];
    for (const [attempt, message] of attempts) expect(attempt).toThrow(message);
  });
});
