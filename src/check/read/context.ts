/** What the readers share: the reader (diagnostics), the locations table, and the declarations by name. */
import type { Item } from '../../lang/index.js';
import type { Locations } from '../locations.js';
import type { Reader } from './expr-reader.js';

export type Declared = Extract<Item, { name: string }>;

export interface Decl {
  item: Declared;
  file: string;
}

export interface ReadContext {
  r: Reader;
  loc: Locations;
  /** Every named declaration of every module (recovered ones too, so references to them do not cascade). */
  decls: Map<string, Decl>;
}
