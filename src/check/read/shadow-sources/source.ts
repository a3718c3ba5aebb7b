/**
 * A shadow source as a descriptor: how a `shadows` declaration of that kind is written (for the E198
 * message) and how it is read into a ShadowsDef. The `bare` one is a block (`shadows refs { ... }`: models
 * mia trains from a declared architecture); the others are calls (`shadows refs = onnx_models("refs/*.onnx") { ... }`).
 * A new shadow source is its file plus one line in ./index.ts.
 */
import type { ShadowsDef } from '../../../kinds/program.js';
import type { Item, Range } from '../../../lang/index.js';
import type { ReadContext } from '../context.js';
import type { CallParts } from '../expr-reader.js';

export interface ShadowSource {
  /** The word after `shadows NAME =` (the `bare` source is a block `shadows NAME { ... }`). */
  kind: string;
  /** How the E198 message shows it: `onnx_models("refs/*.onnx") { in, pool }`. */
  usage: string;
  bare?: true;
  /** Reads the declaration: its settings' ranges go into `fields` (for diagnostics at a setting). */
  read(
    ctx: ReadContext,
    s: Extract<Item, { kind: 'shadows' }>,
    c: CallParts,
    fields: Record<string, Range>,
  ): ShadowsDef | undefined;
}

export const defineShadowSource = (s: ShadowSource): ShadowSource => s;
