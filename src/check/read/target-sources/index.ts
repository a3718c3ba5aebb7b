/** The target sources: one descriptor each, in its own file, and one line here (in the order messages list them). */
import { imported } from './imported.js';
import { local } from './local.js';
import { onnx } from './onnx.js';
import { remote } from './remote.js';
import type { TargetSource } from './source.js';

export const TARGET_SOURCES: readonly TargetSource[] = [local, imported, onnx, remote];

export { COMMON, type TargetCommon, type TargetSource } from './source.js';
