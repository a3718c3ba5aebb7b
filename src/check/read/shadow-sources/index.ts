/** The shadow sources: one descriptor each, in its own file, and one line here (in the order messages list them). */
import { onnxModels } from './onnx-models.js';
import type { ShadowSource } from './source.js';
import { trained } from './trained.js';

export const SHADOW_SOURCES: readonly ShadowSource[] = [trained, onnxModels];

export type { ShadowSource } from './source.js';
export { SAMPLINGS } from './trained.js';
