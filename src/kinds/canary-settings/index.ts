/**
 * The settings of a target's `canaries DATA { ... }` block: one descriptor each, in its own file, and
 * one line here (in the order messages list them). From them the block's schema.
 */
import type { Schema } from '../schema.js';
import { mislabel } from './mislabel.js';
import { repeat } from './repeat.js';
import type { CanarySettingKind } from './setting.js';

export const CANARY_SETTINGS: readonly CanarySettingKind[] = [mislabel, repeat];

/** The `canaries DATA { ... }` block's schema, keyed as written. */
export const CANARY_SCHEMA: Schema = Object.fromEntries(CANARY_SETTINGS.map((k) => [k.key, k.setting]));

export { defineCanarySetting, type CanarySettingKind } from './setting.js';
