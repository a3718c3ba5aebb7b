/**
 * A setting of a target's audit canaries as a descriptor: its key in `canaries DATA { ... }` and its
 * schema (read by the checker's generic reader, bounded by its rules, offered by the editor, printed in
 * the README). A new canary setting is its file plus one line in ./index.ts; in the CanariesDef it
 * keeps its key.
 */
import type { Setting } from '../schema.js';

export interface CanarySettingKind {
  key: string;
  setting: Setting;
}

export const defineCanarySetting = <K extends CanarySettingKind>(k: K): K => k;
