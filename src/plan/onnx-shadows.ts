/**
 * Reference models from ONNX files (`shadows refs = onnx_models("refs/*.onnx") { in: "refs/in.npy", pool }`):
 * the files found (a glob matched in its one folder, sorted by name, or a list), each checked against the
 * data and queried like an ONNX target (its bytes' hash in its query job's), and the `in` mask read: a
 * (models × records) 0/1 .npy matrix, in[m][j] = 1 when model m trained on the pool's record j (ML Privacy
 * Meter's memberships matrix). The pool's records are a whole dataset's in file order (the targets' dataset,
 * members then non-members, when no pool is named); a candidate outside the pool is OUT of every model.
 * Attacks then use these models exactly as trained shadows: their in and out records come from the mask.
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { attackOf, attackTitle } from '../attacks/needs.js';
import type { AttackDef, OnnxShadowsDef } from '../check/index.js';
import { DataError, parseNpy } from '../data/index.js';
import { LIMITS } from '../kinds/size-limits.js';
import { readUserFile, UserFileError } from '../util/user-file.js';
import { errorAt, type Point } from './compile-common.js';
import { partOffsets } from './joined.js';
import { onnxQueryJob } from './onnx.js';
import type { ShadowInput } from './plan.js';

/** What the coverage check needs of a set from files: its mask by record (per column, how many models are IN). */
interface MaskFacts {
  def: OnnxShadowsDef;
  models: number;
  /** The dataset record of each column, and each column's count of IN models. */
  column: Map<number, number>;
  ins: Int32Array;
}
const MASKS = new WeakMap<ShadowInput, MaskFacts>();

const stop = (s: OnnxShadowsDef, message: string) => errorAt('E418', message, s);

/** A glob's file-name pattern as a regular expression: `*` any run of characters, `?` one (no `/`). */
const globRegex = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );

const isGlob = (p: string): boolean => /[*?]/.test(p);

/** The files of a glob: regular files (or links to them) inside its folder, in name order. */
function globFiles(s: OnnxShadowsDef, pattern: string): string[] {
  const full = resolve(dirname(s.file), pattern);
  const dir = dirname(full);
  if (isGlob(dir))
    throw stop(
      s,
      `Only the file name of the pattern "${pattern}" of shadows "${s.name}" may hold * or ?, not its folder.`,
    );
  let names: string[];
  let real: string;
  try {
    real = realpathSync(dir);
    names = readdirSync(dir);
  } catch {
    throw stop(
      s,
      `The folder "${dir}" of the pattern "${pattern}" of shadows "${s.name}" cannot be read; check the path (relative to the .mia file).`,
    );
  }
  const re = globRegex(basename(full));
  const files = names
    .filter((n) => re.test(n) && (n[0] !== '.' || basename(full).startsWith('.')))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => resolve(dir, n));
  checkCount(s, files.length);
  for (const f of files) {
    // A link is followed to where it leads, which must be inside the folder (itself found after its own links).
    const target = lstatSync(f).isSymbolicLink() ? safeRealpath(f) : resolve(real, basename(f));
    if (target === null || !target.startsWith(real + sep))
      throw stop(
        s,
        `${f}: this link leads outside the folder "${dir}" of the pattern "${pattern}"; mia reads reference models only inside it.`,
      );
  }
  if (files.length === 0)
    throw stop(
      s,
      `The pattern "${pattern}" of shadows "${s.name}" matches no file in "${dir}"; check the path (relative to the .mia file).`,
    );
  return files;
}

function safeRealpath(f: string): string | null {
  try {
    return realpathSync(f);
  } catch {
    return null;
  }
}

/** The model files of the set, in order. */
export function onnxModelFiles(s: OnnxShadowsDef): string[] {
  const files =
    typeof s.models === 'string' && isGlob(s.models)
      ? globFiles(s, s.models)
      : (typeof s.models === 'string' ? [s.models] : s.models).map((f) => resolve(dirname(s.file), f));
  checkCount(s, files.length);
  return files;
}

/** At most LIMITS.shadowCount model files, counted before any is looked at. */
function checkCount(s: OnnxShadowsDef, count: number): void {
  if (count > LIMITS.shadowCount)
    throw stop(
      s,
      `Shadows "${s.name}" name ${count} model files; mia takes at most ${LIMITS.shadowCount} reference models.`,
    );
}

/** The dataset records the mask's columns stand for: the pool's (a whole dataset), in file order. */
function poolRecords(pt: Point, s: OnnxShadowsDef): number[] {
  const all = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
  if (!s.pool || s.pool.dataset === pt.dataset) return all(0, pt.datasetSize);
  const at = partOffsets(pt.dataset, pt.datasets).get(s.pool.dataset);
  const info = pt.datasets.find((d) => d.name === s.pool!.dataset);
  if (at === undefined || !info)
    throw errorAt(
      'E418',
      `The pool of shadows "${s.name}" is dataset "${s.pool.dataset}", but the targets are attacked on "${pt.dataset}": reference models are queried on the targets' records, so their pool must be that dataset or one of its parts.`,
      s,
      s.pool.range,
    );
  return all(at, info.n);
}

/** The `in` mask: a 2-D 0/1 array of (models × pool records). */
function readMask(s: OnnxShadowsDef, models: number, records: number): Float64Array {
  const path = resolve(dirname(s.file), s.in);
  let arr;
  try {
    arr = parseNpy(readUserFile(path, { what: '.npy file' }), path);
  } catch (e) {
    if (e instanceof UserFileError || e instanceof DataError) throw stop(s, e.message);
    throw e;
  }
  const [m, n] = arr.shape;
  if (arr.shape.length !== 2 || m !== models || n !== records)
    throw stop(
      s,
      `${path}: the in mask of shadows "${s.name}" has shape [${arr.shape.join(', ')}], but it must be [${models}, ${records}] (models × records): ${models} model file${models === 1 ? '' : 's'}, ${records} records in the pool.`,
    );
  const bad = arr.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0)
    throw stop(
      s,
      `${path}: the in mask must hold 0 or 1 (or booleans); row ${Math.floor(bad / records)}, column ${bad % records} holds ${arr.data[bad]}.`,
    );
  return arr.data;
}

/** The set's query jobs and each model's in and out records. */
export function onnxShadowSet(pt: Point, s: OnnxShadowsDef): ShadowInput {
  const files = onnxModelFiles(s);
  const pool = poolRecords(pt, s);
  const mask = readMask(s, files.length, pool.length);
  const declared = { ...(s.output ? { output: s.output } : {}), ...(s.layout ? { layout: s.layout } : {}) };
  const ins = new Int32Array(pool.length);
  const models = files.map((f, i) => {
    const id = `onnx/shadow/${s.name}/${i}`;
    const query = onnxQueryJob(pt, s, f, declared, id, `query ONNX reference ${s.name} #${i}`);
    const inIdx: number[] = [];
    const outIdx: number[] = [];
    pool.forEach((r, j) => {
      const isIn = mask[i * pool.length + j] === 1;
      (isIn ? inIdx : outIdx).push(r);
      if (isIn) ins[j]!++;
    });
    return { query, inIdx, outIdx };
  });
  const input: ShadowInput = { name: s.name, models };
  MASKS.set(input, { def: s, models: files.length, column: new Map(pool.map((r, j) => [r, j])), ins });
  return input;
}

/**
 * Attacks that compare each record's reference models (LiRA, RMIA: those with an online mode) need, for
 * every candidate, models trained without it, and online also models trained with it: the mask must give both.
 */
export function checkReferenceMasks(
  pt: Point,
  a: AttackDef,
  shadows: readonly ShadowInput[],
  candidates: readonly number[],
): void {
  const d = attackOf(a);
  if (!d.needsHalfShadows) return;
  const online = d.needsHalfShadows(a.settings);
  for (const s of shadows) {
    const facts = MASKS.get(s);
    if (!facts) continue;
    for (const r of [...candidates].sort((x, y) => x - y)) {
      const j = facts.column.get(r);
      const ins = j === undefined ? 0 : facts.ins[j]!;
      const needIn = online === s.name && ins === 0;
      if (!needIn && ins < facts.models) continue;
      const place =
        j === undefined
          ? `${recordName(pt, r)} is outside the pool of shadows "${s.name}", so no reference model trained on it`
          : `column ${j} of the in mask "${facts.def.in}" is ${ins === 0 ? '0' : '1'} for all ${facts.models} models of shadows "${s.name}"`;
      throw errorAt(
        'E419',
        `The ${online === s.name ? 'online ' : ''}${attackTitle(a)} attack "${a.name}" needs, for each record it scores, reference models trained ${needIn ? 'with it' : 'without it'}; ${place}.`,
        a,
      );
    }
  }
}

/** A record as the user knows it: its index in its own file (of a joined dataset's part), or in the dataset. */
function recordName(pt: Point, r: number): string {
  const parts = [...partOffsets(pt.dataset, pt.datasets)].filter(([, at]) => at <= r);
  const part = parts.at(-1);
  return part ? `record ${r - part[1]} of "${part[0]}"` : `record ${r} of "${pt.dataset}"`;
}
