/**
 * Where each typed definition came from: its file, its range, and the ranges of its fields
 * (`epochs`, `layers.2`, `augmentations.0`, ...), so rules can point at the exact value they judge.
 */
import type { Range } from '../lang/index.js';

export interface Place {
  file: string;
  range: Range;
}

interface Entry {
  file: string;
  range: Range;
  fields: Map<string, Range>;
}

export class Locations {
  private readonly map = new WeakMap<object, Entry>();

  put(def: object, file: string, range: Range, fields: Record<string, Range> = {}): void {
    const prev = this.map.get(def);
    const e: Entry = prev ?? { file, range, fields: new Map() };
    for (const [k, v] of Object.entries(fields)) e.fields.set(k, v);
    this.map.set(def, e);
  }

  field(def: object, name: string, range: Range): void {
    const e = this.map.get(def);
    if (e) e.fields.set(name, range);
  }

  /** The recorded field ranges of a definition. */
  fieldsOf(def: object): Record<string, Range> {
    return Object.fromEntries(this.map.get(def)?.fields ?? []);
  }

  /** The place of a definition, or of one of its fields when that was recorded. */
  of(def: object, field?: string): Place | undefined {
    const e = this.map.get(def);
    if (!e) return undefined;
    const r = field === undefined ? undefined : e.fields.get(field);
    return { file: e.file, range: r ?? e.range };
  }
}
