/**
 * Reading a signals file for `mia attack --signals FILE` (format in the README): a JSON object whose
 * arrays are given inline (nested lists) or as paths to .npy files (relative to the JSON file).
 * Everything wrong is a UserError naming the field and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readUserFile, UserFileError } from '../util/user-file.js';
import { dirname, resolve } from 'node:path';
import type { RecordSignals, SignalsInput } from '../attacks/index.js';
import { DataError, parseNpy } from '../data/index.js';
import { UserError } from '../pipeline/errors.js';
import { firstProblem } from '../util/schema.js';
import { SIGNALS_FILE } from './signals-schema.js';
import { npzSignals } from './signals-npz.js';

interface Arr {
  shape: number[];
  data: Float64Array;
}

function flatten(v: unknown, field: string): Arr {
  const shape: number[] = [];
  let probe: unknown = v;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(count);
  let k = 0;
  const walk = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      const num = typeof x === 'boolean' ? Number(x) : x;
      if (typeof num !== 'number')
        throw new UserError(`The signals field "${field}" holds ${JSON.stringify(x)}, not a number.`);
      data[k++] = num;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth])
      throw new UserError(
        `The signals field "${field}" is not a rectangular array (expected ${shape[depth]} entries at depth ${depth + 1}).`,
      );
    for (const y of x) walk(y, depth + 1);
  };
  walk(v, 0);
  return { shape, data };
}

function array(v: unknown, field: string, base: string): Arr {
  if (v && typeof v === 'object' && 'data' in v && v.data instanceof Float64Array) return v as Arr; // from an .npz
  if (typeof v === 'string') {
    const path = resolve(base, v);
    let buf: Buffer;
    try {
      buf = readUserFile(path, { what: '.npy file' });
    } catch (e) {
      if (!(e instanceof UserFileError)) throw e;
      throw new UserError(
        existsSync(path)
          ? `The signals field "${field}" names ${e.message}`
          : `The signals field "${field}" names ${v}, which cannot be read (looked for ${path}).`,
      );
    }
    try {
      return parseNpy(buf, path);
    } catch (e) {
      if (e instanceof DataError) throw new UserError(e.message);
      throw e;
    }
  }
  if (!Array.isArray(v))
    throw new UserError(`The signals field "${field}" must be an array or the path of a .npy file.`);
  return flatten(v, field);
}

const expectShape = (a: Arr, field: string, shape: (number | null)[]): number[] => {
  const ok = a.shape.length === shape.length && shape.every((d, i) => d === null || d === a.shape[i]);
  if (!ok)
    throw new UserError(
      `The signals field "${field}" has shape [${a.shape.join(', ')}]; expected [${shape.map((d) => d ?? '·').join(', ')}].`,
    );
  return a.shape;
};

/** The first index where `bad` holds, or −1 (a plain loop: findIndex calls a closure per value, slow on 10^8). */
function firstIndex(data: Float64Array, bad: (v: number) => boolean): number {
  for (let i = 0; i < data.length; i++) if (bad(data[i]!)) return i;
  return -1;
}

/** Logits and losses must be finite: NaN or ±Infinity says the export went wrong. */
function finite(a: Arr, field: string): Arr {
  const bad = firstIndex(a.data, (v) => !Number.isFinite(v));
  if (bad >= 0)
    throw new UserError(
      `The signals field "${field}" holds ${a.data[bad]} at flat index ${bad}; logits and losses must be finite numbers.`,
    );
  return a;
}

export function readSignalsFile(file: string): SignalsInput {
  const o = file.toLowerCase().endsWith('.npz') ? npzSignals(file) : signalsObject(file);
  const base = dirname(resolve(file));
  if (o.member === undefined)
    throw new UserError(`${file} needs "member": 1 (member), 0 (non-member) or −1 (population record) per record.`);
  const { member, n } = memberColumn(o.member, base);
  const labels = o.labels === undefined ? null : labelColumn(o.labels, n, base);
  const target = targetSignals(modelSignals(o.target, 'target', labels !== null, base), n);
  if (labels && target.kind === 'logits' && labels.some((y) => y >= target.signals.classes))
    throw new UserError(`A label is not below the number of classes (${target.signals.classes}).`);
  const references = o.references === undefined ? null : referenceSignals(o.references, { n, labels, target, base });
  return { member, labels, target, references };
}

/** The file's JSON object, checked against its schema (signals-schema.ts): one line naming the first wrong field. */
function signalsObject(file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new UserError(
      `${file} must hold a JSON object with "member", "target" and optionally "labels" and "references".`,
    );
  const problem = firstProblem(SIGNALS_FILE, json);
  if (problem) throw new UserError(`${file}: ${problem.message}. See the README, "Bring your own signals".`);
  return json as Record<string, unknown>;
}

/** Each record's membership (1, 0 or −1), with at least one member and one non-member; n is the record count. */
function memberColumn(v: unknown, base: string): { member: Int8Array; n: number } {
  const memberA = array(v, 'member', base);
  const [n] = expectShape(memberA, 'member', [null]);
  if (memberA.data.some((m) => m !== 1 && m !== 0 && m !== -1))
    throw new UserError('The signals field "member" must hold 1, 0 or -1 only.');
  const member = Int8Array.from(memberA.data);
  if (!member.includes(1) || !member.includes(0))
    throw new UserError('The signals need at least one member (1) and one non-member (0).');
  return { member, n: n! };
}

function labelColumn(v: unknown, n: number, base: string): Int32Array {
  const l = array(v, 'labels', base);
  expectShape(l, 'labels', [n]);
  if (l.data.some((v) => !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1))
    throw new UserError('The signals field "labels" must hold class indices (integers ≥ 0).');
  return Int32Array.from(l.data);
}

type ModelSignals = { kind: 'logits'; arr: Arr } | { kind: 'loss'; arr: Arr };

/** A model's "logits" (which need labels) or "loss" (finite, never negative), not yet checked for shape. */
function modelSignals(v: unknown, field: string, hasLabels: boolean, base: string): ModelSignals {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new UserError(`The signals field "${field}" must be an object with "logits" or "loss".`);
  const m = v as Record<string, unknown>;
  if ((m.logits === undefined) === (m.loss === undefined))
    throw new UserError(`The signals field "${field}" needs exactly one of "logits" and "loss".`);
  if (m.logits !== undefined) {
    if (!hasLabels) throw new UserError('Signals with logits need "labels", the true class of every record.');
    return { kind: 'logits', arr: finite(array(m.logits, `${field}.logits`, base), `${field}.logits`) };
  }
  const loss = finite(array(m.loss, `${field}.loss`, base), `${field}.loss`);
  const bad = firstIndex(loss.data, (v) => v < 0);
  if (bad >= 0)
    throw new UserError(
      `The signals field "${field}.loss" holds ${loss.data[bad]} at flat index ${bad}; a cross-entropy loss −log p_y is never negative.`,
    );
  return { kind: 'loss', arr: loss };
}

/** The target model's signals: logits [n, classes] or a loss [n]. */
function targetSignals(t: ModelSignals, n: number): RecordSignals {
  if (t.kind === 'logits') {
    const [, c] = expectShape(t.arr, 'target.logits', [n, null]);
    return { kind: 'logits', signals: { logits: t.arr.data, classes: c! } };
  }
  expectShape(t.arr, 'target.loss', [n]);
  return { kind: 'loss', loss: t.arr.data };
}

/**
 * The reference models' signals (logits [models, n, classes] scoring the target's classes, or a loss
 * [models, n]) and which records each trained on ("in" [models, n]).
 */
function referenceSignals(
  v: unknown,
  ctx: { n: number; labels: Int32Array | null; target: RecordSignals; base: string },
): SignalsInput['references'] {
  const { n, labels, target, base } = ctx;
  const r = modelSignals(v, 'references', labels !== null, base);
  const refObj = v as Record<string, unknown>;
  if (refObj.in === undefined)
    throw new UserError(
      'The signals field "references" needs "in": 1 where a reference model trained on a record, per model and record.',
    );
  const inA = array(refObj.in, 'references.in', base);
  const [mCount] = expectShape(inA, 'references.in', [null, n]);
  const isIn = Array.from({ length: mCount! }, (_, k) => {
    const row = inA.data.subarray(k * n, (k + 1) * n);
    const mask = new Uint8Array(n);
    for (let r = 0; r < n; r++) mask[r] = row[r] ? 1 : 0;
    return mask;
  });
  let models: RecordSignals[];
  if (r.kind === 'logits') {
    const [, , c] = expectShape(r.arr, 'references.logits', [mCount!, n, null]);
    if (target.kind === 'logits' && c !== target.signals.classes)
      throw new UserError(
        `The signals field "references.logits" has ${c} classes but "target.logits" has ${target.signals.classes}; every model must score the same classes.`,
      );
    if (labels?.some((y) => y >= c!))
      throw new UserError(`A label is not below the number of classes of "references.logits" (${c}).`);
    models = isIn.map((_, k) => ({
      kind: 'logits',
      signals: { logits: r.arr.data.subarray(k * n * c!, (k + 1) * n * c!), classes: c! },
    }));
  } else {
    expectShape(r.arr, 'references.loss', [mCount!, n]);
    models = isIn.map((_, k) => ({ kind: 'loss', loss: r.arr.data.subarray(k * n, (k + 1) * n) }));
  }
  for (const k of Object.keys(refObj))
    if (!['logits', 'loss', 'in'].includes(k))
      throw new UserError(`Unknown field "references.${k}"; the fields are logits or loss, and in.`);
  return { models, isIn };
}
