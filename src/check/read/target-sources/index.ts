/** The target sources: one descriptor each, in its own file, and one line here (in the order messages list them). */
import { imported } from './imported.js';
import { local } from './local.js';
import { onnx } from './onnx.js';
import { remote } from './remote.js';
import type { TargetDef } from '../../../kinds/program.js';
import type { TargetSource } from './source.js';

export const TARGET_SOURCES: readonly TargetSource[] = [local, imported, onnx, remote];

/** The source of a checked target. */
export const targetSourceOf = (t: Pick<TargetDef, 'kind'>): TargetSource =>
  TARGET_SOURCES.find((s) => s.kind === t.kind)!;

type Trained = Extract<TargetDef, { kind: 'local' }>;
type Api = Extract<TargetDef, { kind: 'remote' }>;

/** The model declaration a target mia trains names (its source `trains`); null for a target mia only queries. */
export const trainedModel = (t: TargetDef): string | null => (targetSourceOf(t).trains ? (t as Trained).model : null);

/** A target that is an API queried over the network (its source is `api`): its output format, its budget; else null. */
export const apiTarget = (t: TargetDef): Api | null => (targetSourceOf(t).api ? (t as Api) : null);

export { COMMON, COMMON_DOCS, type TargetCommon, type TargetSource } from './source.js';
