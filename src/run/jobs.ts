/**
 * What each job kind does. Inputs and outputs are plain data (typed arrays, JSON), so a job can run
 * in any worker and its output can be cached.
 */
import { match } from 'ts-pattern';
import {
  runAttack,
  type AttackContext,
  type AugmentedSignals,
  type ModelSignals,
  type ReferenceModel,
} from '../attacks/index.js';
import {
  augmentAll,
  augmentationCopies,
  featureCount,
  gather,
  loadDataset,
  sourceOf,
  type Dataset,
} from '../data/index.js';
import { applyRelease, defenseOf } from '../defenses/index.js';
import { deriveSeed } from '../util/rng.js';
import { buildModel, loadArtifacts, queryLogits, saveArtifacts, trainModel, type ModelArtifacts } from '../ml/index.js';
import type { BatchProgress, TrainData, TrainProgress } from '../ml/train.js';
import { evaluateScores, type Evaluation } from '../metrics/index.js';
import type { TrainTick } from './events.js';
import { auditScores, type AuditResult } from '../audit/index.js';
import type {
  AuditJobSpec,
  Relabel,
  AttackJobSpec,
  AugmentQuerySpec,
  DatasetInfo,
  EvaluateSpec,
  JobSpec,
  PerturbSpec,
  QuerySpec,
  TrainSpec,
  ImportSpec,
  RemoteQuerySpec,
  SynthesizeSpec,
} from '../plan/index.js';
import { datasetIdentity } from '../plan/index.js';
import { queryRemote } from './remote-api.js';
import { runOnnxQuery } from './onnx-job.js';
import { buildImportedModel, checkModelFits, ModelFileError, readModelFiles } from '../ml/imported.js';

export type JobOutput =
  | { kind: 'train'; artifacts: ModelArtifacts; finalLoss: number }
  /** A model's logits; a remote API's answers as released log-probabilities (logProbs) or as its logits (float64). */
  | { kind: 'query'; logits: Float32Array | Float64Array; classes: number; logProbs?: boolean }
  /** Row `copy * n + record`: the logits of that augmented copy of the record. */
  | {
      kind: 'augment_query';
      logits: Float32Array | Float64Array;
      classes: number;
      copies: number;
      n: number;
      logProbs?: boolean;
    }
  | { kind: 'attack'; scores: Float64Array }
  /** Synthesised shadow records (shaped as the dataset's) and the target queries spent on them. */
  | { kind: 'synthesize'; x: Float32Array; y: Int32Array; n: number; queries: number; failures: number[] }
  | ({ kind: 'evaluate'; scores: Float64Array; audit?: CanaryAudit } & Evaluation);

/** An audited attack's ε lower bounds and the canary scores they come from (IN canaries first). */
export interface CanaryAudit {
  results: AuditResult[];
  scores: Float64Array;
}

/** The dataset with mislabelled canaries' labels replaced by their training labels (itself without any). */
export function relabelled(ds: Dataset, relabel: Relabel | undefined): Dataset {
  if (!relabel) return ds;
  const y = ds.y.slice();
  relabel.record.forEach((r, i) => {
    y[r] = (ds.y[r]! + relabel.shift[i]!) % ds.classes;
  });
  return { ...ds, y };
}

export type Progress = (done: number, total: number, note?: string, train?: TrainTick) => void;

/** At most one progress message per this many milliseconds per training job (an epoch shorter than that still sends its end). */
export const TICK_MS = 100;
/** The running loss is read (a sync read from the backend) at most this often; ticks between repeat it. */
export const LOSS_MS = 1000;

async function runTrain(spec: TrainSpec, dataset: Dataset, progress: Progress): Promise<JobOutput> {
  const ds = relabelled(dataset, spec.relabel);
  const model = buildModel({ layers: spec.model.layers, inputShape: ds.shape, classes: ds.classes, seed: spec.seed });
  const data = trainingSet(ds, spec.trainIdx);
  const val = spec.validationIdx?.length ? trainingSet(ds, spec.validationIdx) : undefined;
  const { onEpoch, onBatch } = trainingReporter(data.n, progress);
  // A training-time defense may replace the loop (DP-SGD, adversarial regularisation): its descriptor's trainer.
  const trainer = spec.trainer ? defenseOf(spec.trainer).apply?.(spec.trainer.settings).trainer : undefined;
  if (spec.trainer && !trainer) throw new Error(`The defense "${spec.trainer.kind}" has no training loop (a bug).`);
  const reference = spec.referenceIdx?.length ? trainingSet(ds, spec.referenceIdx) : undefined;
  const { finalLoss } = trainer
    ? await trainer({
        model,
        data,
        def: spec.model.train,
        seed: spec.seed,
        onEpoch,
        ...(reference ? { reference } : {}),
      })
    : await trainModel(model, data, spec.model.train, spec.seed, onEpoch, val, onBatch);
  const artifacts = await saveArtifacts(model);
  model.dispose();
  return { kind: 'train', artifacts, finalLoss };
}

/** The records `idx` of `ds` as training data. */
function trainingSet(ds: Dataset, idx: readonly number[]): TrainData {
  return { ...gather(ds, idx), n: idx.length, shape: ds.shape, classes: ds.classes };
}

/**
 * A training job's progress: every epoch's end, and between them a tick at most every TICK_MS with the
 * running loss read at most every LOSS_MS and the records trained on per second.
 */
function trainingReporter(
  n: number,
  progress: Progress,
): { onEpoch: (p: TrainProgress) => void; onBatch: (b: BatchProgress) => void } {
  const t0 = performance.now();
  let last = t0;
  let lastLoss = -Infinity; // the first tick reads it
  let loss: number | undefined;
  let seen = 0; // records trained on, over all epochs
  let batches = 1;
  const rate = (): number => (seen * 1000) / Math.max(1, performance.now() - t0);
  const onEpoch = (p: TrainProgress): void => {
    last = performance.now(); // an epoch's end counts against the same budget as the ticks
    loss = p.loss;
    progress(
      p.epoch,
      p.epochs,
      `loss ${p.loss.toFixed(4)}${p.validationLoss !== undefined ? `, validation ${p.validationLoss.toFixed(4)}` : ''}`,
      { epoch: p.epoch, epochs: p.epochs, batch: batches, batches, loss: p.loss, recordsPerSec: rate() },
    );
  };
  const onBatch = (b: BatchProgress): void => {
    seen = (b.epoch - 1) * n + b.records;
    batches = b.batches;
    const t = performance.now();
    if (t - last < TICK_MS || b.batch === b.batches) return; // the epoch's end is sent by onEpoch
    last = t;
    if (t - lastLoss >= LOSS_MS) (loss = b.loss()), (lastLoss = t);
    const tick = {
      epoch: b.epoch,
      epochs: b.epochs,
      batch: b.batch,
      batches: b.batches,
      ...(loss !== undefined ? { loss } : {}),
    };
    progress(b.epoch - 1 + b.batch / b.batches, b.epochs, undefined, { ...tick, recordsPerSec: rate() });
  };
  return { onEpoch, onBatch };
}

/** An imported target's model: read from its files, checked against the data, handed on as a trained model. */
async function runImport(spec: ImportSpec, ds: Dataset): Promise<JobOutput> {
  // the bytes hashed here are the bytes loaded and stored: never other bytes under the plan's hash
  const { hash, ...artifacts } = readModelFiles(spec.path, spec.output);
  if (hash !== spec.files)
    throw new ModelFileError(
      spec.path,
      'The model files changed after mia planned this run (their content no longer has the hash the plan was made from); nothing was stored. Run again to use the new files.',
    );
  const m = await buildImportedModel(spec.path, artifacts);
  try {
    checkModelFits(m, ds, spec.path);
  } finally {
    m.dispose();
  }
  return { kind: 'train', artifacts, finalLoss: 0 };
}

/** An output perturbation (MemGuard): the target's probabilities through the defense's descriptor, as log-probabilities. */
function runPerturb(spec: PerturbSpec, _ds: Dataset, q: JobOutput | undefined): JobOutput {
  if (q?.kind !== 'query') throw new Error("A perturb job needs the target's answers as input.");
  const hook = defenseOf(spec.defense).perturb?.(spec.defense.settings);
  if (!hook) throw new Error(`The defense "${spec.defense.kind}" perturbs no outputs (a bug).`);
  const probs = softmaxRows(q.logits, q.classes);
  const out = hook.perturb({
    probs,
    classes: q.classes,
    members: spec.members,
    reference: spec.reference,
    queried: spec.queried,
    seed: spec.seed,
  });
  const logits = new Float32Array(out.length);
  for (let i = 0; i < out.length; i++) logits[i] = Math.log(Math.max(out[i]!, 1e-30));
  return { kind: 'query', logits, classes: q.classes };
}

function softmaxRows(logits: Float32Array | Float64Array, classes: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let o = 0; o < logits.length; o += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[o + c]!);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[o + c] = Math.exp(logits[o + c]! - max);
    for (let c = 0; c < classes; c++) out[o + c]! /= sum;
  }
  return out;
}

async function runQuery(spec: QuerySpec, ds: Dataset, model: JobOutput): Promise<JobOutput> {
  if (!model) throw new Error('A query job needs a trained model as input.');
  if (model.kind !== 'train') throw new Error('A query job needs a trained model as input.');
  const m = await loadArtifacts(model.artifacts);
  const logits = queryLogits(m, ds.x, ds.n, ds.shape, ds.classes);
  m.dispose();
  requireFinite(logits, ds.classes, spec.file ?? `The model of job ${spec.model}`);
  return { kind: 'query', logits, classes: ds.classes };
}

/** Refuses a model's answers with a NaN or infinite output, naming the model (its file) and the record. */
function requireFinite(logits: Float32Array, classes: number, model: string): void {
  const bad = logits.findIndex((v) => !Number.isFinite(v));
  if (bad < 0) return;
  throw new ModelFileError(
    model,
    `The model outputs ${logits[bad]} (output ${bad % classes}) for record ${Math.floor(bad / classes)}; its answers must be finite numbers. Check its weights.`,
  );
}

async function runAugmentQuery(
  spec: AugmentQuerySpec,
  ds: Dataset,
  model: JobOutput | undefined,
  progress: Progress,
): Promise<JobOutput> {
  if (model?.kind !== 'train') throw new Error('An augmented query job needs a trained model as input.');
  const copies = augmentationCopies(spec.augmentations, ds, spec.seed);
  const m = await loadArtifacts(model.artifacts);
  const logits = new Float32Array(copies.length * ds.n * ds.classes);
  try {
    copies.forEach((fn, q) => {
      logits.set(queryLogits(m, augmentAll(ds, fn), ds.n, ds.shape, ds.classes), q * ds.n * ds.classes);
      progress(q + 1, copies.length);
    });
  } finally {
    m.dispose();
  }
  return { kind: 'augment_query', logits, classes: ds.classes, copies: copies.length, n: ds.n };
}

/** A remote target's answers on the records it names (or augmented copies of them); rows not asked for are NaN. */
async function runRemoteQuery(spec: RemoteQuerySpec, ds: Dataset, progress: Progress): Promise<JobOutput> {
  const c = ds.classes;
  const f = featureCount(ds);
  const rows = gather(ds, spec.records).x;
  const copies = spec.augmentations ? augmentationCopies(spec.augmentations, ds, spec.seed ?? 0) : null;
  const m = spec.records.length;
  // Every copy of every record, copy-major: the API sees them as one stream of instances.
  const x = copies ? new Float32Array(copies.length * m * f) : rows;
  copies?.forEach((fn, q) => {
    spec.records.forEach((r, i) => {
      fn(rows.subarray(i * f, (i + 1) * f), x.subarray((q * m + i) * f, (q * m + i + 1) * f), r);
    });
  });
  const recordOf = (i: number): string =>
    `record ${spec.records[i % m]} of ${spec.dataset}${copies ? ` (augmented copy ${Math.floor(i / m)})` : ''}`;
  const { values: answers, logProbs } = await queryRemote(spec.api, x, x.length / f, ds.shape, c, progress, recordOf);
  const n = copies?.length ?? 1;
  const logits = new Float64Array(n * ds.n * c).fill(Number.NaN);
  for (let q = 0; q < n; q++)
    spec.records.forEach((r, i) => {
      logits.set(answers.subarray((q * m + i) * c, (q * m + i + 1) * c), (q * ds.n + r) * c);
    });
  return copies
    ? { kind: 'augment_query', logits, classes: c, copies: copies.length, n: ds.n, logProbs }
    : { kind: 'query', logits, classes: c, logProbs };
}

function runAttackJob(spec: AttackJobSpec, data: Dataset, inputs: ReadonlyMap<string, JobOutput>): JobOutput {
  // Shadows on synthesised records index them after the dataset's (see ShadowInput).
  // An attack reads labels only: the synthesised records' are appended, not their features.
  const synthetic = spec.shadows.find((s) => s.data)?.data;
  const relabel = relabelled(data, spec.relabel); // canaries are scored at the label they were trained with
  const ds = synthetic ? { ...relabel, y: withSyntheticLabels(relabel.y, inputs.get(synthetic)) } : relabel;
  const signalsOf = (id: string) => {
    const o = inputs.get(id);
    if (o?.kind !== 'query') throw new Error(`Missing the signals of ${id}.`);
    return { logits: o.logits, classes: o.classes, ...(o.logProbs ? { logProbs: true } : {}) };
  };
  const augmentedOf = (id: string): AugmentedSignals => {
    const o = inputs.get(id);
    if (o?.kind !== 'augment_query') throw new Error(`Missing the augmented queries of ${id}.`);
    const signals = { logits: o.logits, classes: o.classes, ...(o.logProbs ? { logProbs: true } : {}) };
    return { signals, copies: o.copies, n: o.n };
  };
  // The attack sees the target only through what it releases, and knowing the API's format, it puts
  // its own reference models' outputs in the same form, so it compares like with like.
  // A remote target's answers have been through its API's own output format (top_k, labels) already.
  const released = (s: ModelSignals, id: string, answered = false): ModelSignals =>
    applyRelease(s, spec.release, deriveSeed(spec.seed, `release/${id}`), answered);
  const shadows = new Map<string, ReferenceModel[]>(
    spec.shadows.map((s) => [
      s.name,
      s.models.map((m) => ({ signals: released(signalsOf(m.query), m.query), inIdx: m.inIdx, outIdx: m.outIdx })),
    ]),
  );
  const target = released(signalsOf(spec.target), spec.target, true);
  let augmented: AttackContext['augmented'];
  if (spec.augmented) {
    const t = augmentedOf(spec.augmented.target);
    augmented = {
      target: { ...t, signals: released(t.signals, spec.augmented.target, true) },
      shadows: new Map(
        spec.augmented.shadows.map((s) => [
          s.name,
          s.queries.map((q) => {
            const a = augmentedOf(q);
            return { ...a, signals: released(a.signals, q) };
          }),
        ]),
      ),
    };
  }
  const ctx: AttackContext = {
    labels: ds.y,
    classes: ds.classes,
    target,
    candidates: spec.candidates,
    shadows,
    population: spec.population,
    features: { x: ds.x, dim: featureCount(ds) },
    seed: spec.seed,
    ...(augmented ? { augmented } : {}),
  };
  return { kind: 'attack', scores: runAttack(spec.attack, ctx) };
}

function runEvaluate(spec: EvaluateSpec, ds: Dataset, attack: JobOutput | undefined): JobOutput {
  if (attack?.kind !== 'attack') throw new Error('An evaluate job needs the scores of its attack.');
  const member = spec.candidates.map((_, i) => (i < spec.members ? 1 : 0));
  const label = spec.candidates.map((r) => ds.y[r]!);
  const n = spec.candidates.length; // canaries, scored after the candidates, are audited apart
  const score = attack.scores.slice(0, n);
  return {
    kind: 'evaluate',
    scores: score,
    ...evaluateScores({ score, member, label, fprLevels: spec.fprLevels, seed: spec.seed }),
    ...(spec.audit ? { audit: canaryAudit(spec.audit, attack.scores.slice(n)) } : {}),
  };
}

/** The synthesised records of a synthesize job's output, as a dataset shaped like `base`. */
function syntheticOf(base: Dataset, o: JobOutput | undefined): Dataset {
  if (o?.kind !== 'synthesize') throw new Error('Missing the synthesised records of a synthetic shadow pool.');
  return { ...base, name: `${base.name} (synthesised)`, x: o.x, y: o.y, n: o.n };
}

/** The dataset's labels followed by a synthesize job's. */
function withSyntheticLabels(y: Int32Array, o: JobOutput | undefined): Int32Array {
  if (o?.kind !== 'synthesize') throw new Error('Missing the synthesised records of a synthetic shadow pool.');
  const out = new Int32Array(y.length + o.n);
  out.set(y);
  out.set(o.y, y.length);
  return out;
}

/** The dataset's records followed by a synthesize job's. */
function withSynthetic(base: Dataset, o: JobOutput | undefined): Dataset {
  const s = syntheticOf(base, o);
  const x = new Float32Array(base.x.length + s.x.length);
  x.set(base.x);
  x.set(s.x, base.x.length);
  return { ...base, x, y: withSyntheticLabels(base.y, o), n: base.n + s.n };
}

/** Shadow data by the source descriptor's synthesis: the statistics gathered, the target asked through its release. */
async function runSynthesize(spec: SynthesizeSpec, ds: Dataset, target: JobOutput | undefined): Promise<JobOutput> {
  const synthesis = sourceOf(spec.source).synthesis;
  if (!synthesis) throw new Error(`The data source "${spec.source.kind}" synthesises nothing (a bug).`);
  const statistics = spec.statistics ? { ...ds, ...gather(ds, spec.statistics), n: spec.statistics.length } : null;
  let model: Awaited<ReturnType<typeof loadArtifacts>> | null = null;
  if (spec.model) {
    if (target?.kind !== 'train') throw new Error("A synthesize job that queries a target needs the target's model.");
    model = await loadArtifacts(target.artifacts);
  }
  let calls = 0; // each batch of queries draws its own release noise, if any
  const query =
    model && spec.release
      ? async (x: Float32Array, n: number): Promise<Float32Array> => {
          const logits = queryLogits(model!, x, n, ds.shape, ds.classes);
          const seed = deriveSeed(spec.seed, `release/${calls++}`);
          return Float32Array.from(
            softmaxRows(applyRelease({ logits, classes: ds.classes }, spec.release!, seed).logits, ds.classes),
          );
        }
      : null;
  try {
    const r = await synthesis.run(spec.source.settings, {
      statistics,
      query,
      base: { shape: ds.shape, classes: ds.classes, kind: ds.kind },
      seed: spec.seed,
    });
    const d = r.dataset;
    return { kind: 'synthesize', x: d.x, y: d.y, n: d.n, queries: r.queries, failures: r.failures ?? [] };
  } finally {
    model?.dispose();
  }
}

/** Datasets loaded elsewhere (once, shared between threads), by name, with the identity they were loaded as. */
const provided = new Map<string, { identity: string; ds: Dataset }>();

/**
 * Makes runJob use `ds` for the dataset named `ds.name` as `datasets` describe it. A long-lived thread (a `mia
 * worker`'s) serves runs that may reuse a name for other data: runJob takes the provided copy only for the
 * same description, and loads the dataset itself otherwise, never the copy of another run.
 */
export function provideDataset(ds: Dataset, datasets: readonly DatasetInfo[]): void {
  const info = datasets.find((d) => d.name === ds.name);
  if (info) provided.set(ds.name, { identity: datasetIdentity(info), ds });
}

const providedFor = (info: DatasetInfo): Dataset | undefined => {
  const p = provided.get(info.name);
  return p && p.identity === datasetIdentity(info) ? p.ds : undefined;
};

/** ε lower bounds from canary scores (IN canaries first), by each method the audit names. */
function canaryAudit(a: AuditJobSpec, scores: Float64Array): CanaryAudit {
  if (scores.length !== a.in + a.out) throw new Error(`Expected ${a.in + a.out} canary scores, got ${scores.length}.`);
  const arr = Array.from(scores);
  const results = auditScores(
    { in: arr.slice(0, a.in), out: arr.slice(a.in) },
    { delta: a.delta, confidence: a.confidence, threshold: a.threshold },
    a.methods,
  );
  return { results, scores };
}

/** Runs one job given its dependencies' outputs (by job id). */
export async function runJob(
  spec: JobSpec,
  datasets: readonly DatasetInfo[],
  inputs: ReadonlyMap<string, JobOutput>,
  progress: Progress,
): Promise<JobOutput> {
  const info = datasets.find((d) => d.name === spec.dataset);
  if (!info) throw new Error(`Unknown dataset "${spec.dataset}".`);
  const ds = providedFor(info) ?? loadDataset(info);
  return match(spec)
    .with({ kind: 'synthesize' }, (s) => runSynthesize(s, ds, s.model ? inputs.get(s.model) : undefined))
    .with({ kind: 'train' }, (s) => runTrain(s, s.data ? syntheticOf(ds, inputs.get(s.data)) : ds, progress))
    .with({ kind: 'import' }, (s) => runImport(s, ds))
    .with({ kind: 'query' }, (s) =>
      runQuery(s, s.data ? withSynthetic(ds, inputs.get(s.data)) : ds, inputs.get(s.model)!),
    )
    .with({ kind: 'remote_query' }, (s) => runRemoteQuery(s, ds, progress))
    .with({ kind: 'onnx_query' }, (s) => runOnnxQuery(s, ds, progress))
    .with({ kind: 'augment_query' }, (s) => runAugmentQuery(s, ds, inputs.get(s.model), progress))
    .with({ kind: 'perturb' }, (s) => Promise.resolve(runPerturb(s, ds, inputs.get(s.model))))
    .with({ kind: 'attack' }, (s) => Promise.resolve(runAttackJob(s, ds, inputs)))
    .with({ kind: 'evaluate' }, (s) => Promise.resolve(runEvaluate(s, ds, inputs.get(s.attack))))
    .exhaustive();
}
