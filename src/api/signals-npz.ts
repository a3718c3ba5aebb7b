/**
 * Signals in a NumPy .npz for `mia attack --signals FILE.npz`, under mia's names or the field's other
 * tools': mia's (`member`, `labels`, `target_logits` or `target_loss`, `references_logits` or
 * `references_loss`, `references_in`); TensorFlow Privacy's AttackInputData (`logits_train`,
 * `logits_test`, `loss_train`, `loss_test`, `labels_train`, `labels_test`: the train records are the
 * members); ML Privacy Meter's membership matrix `memberships` [models, records] as the reference models' `in`.
 * It becomes the fields of the JSON format (src/cli/signals-file.ts), arrays already parsed.
 */
import { DataError, NpzError, parseNpy, readNpz } from '../data/index.js';
import { readUserFile, UserFileError } from '../util/user-file.js';
import { UserError } from '../pipeline/errors.js';

interface Arr {
  shape: number[];
  data: Float64Array;
}

const MIA = ['member', 'labels', 'target_logits', 'target_loss', 'references_logits', 'references_loss'];
const TFP = ['logits_train', 'logits_test', 'loss_train', 'loss_test', 'labels_train', 'labels_test'];
const IN = ['references_in', 'memberships'];

/** The arrays of an .npz, by name; what cannot be read is a UserError naming the file. */
function arrays(file: string): Map<string, Arr> {
  try {
    const zip = readNpz(readUserFile(file, { what: '.npz file' }), file);
    return new Map([...zip].map(([k, b]) => [k, parseNpy(b, `${file} (${k})`)]));
  } catch (e) {
    if (e instanceof NpzError || e instanceof DataError || e instanceof UserFileError) throw new UserError(e.message);
    throw e;
  }
}

/** `train` then `test` along the first axis (same trailing shape). */
function concat(a: Arr, b: Arr, what: string): Arr {
  if (a.shape.slice(1).join() !== b.shape.slice(1).join())
    throw new UserError(
      `The arrays ${what}_train [${a.shape}] and ${what}_test [${b.shape}] do not match past their first axis.`,
    );
  const data = new Float64Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { shape: [a.shape[0]! + b.shape[0]!, ...a.shape.slice(1)], data };
}

/** TensorFlow Privacy's names: member 1 for the train records, 0 for the test ones. */
function fromTfPrivacy(a: Map<string, Arr>, file: string): Record<string, unknown> {
  const pair = (what: string): Arr | undefined => {
    const tr = a.get(`${what}_train`);
    const te = a.get(`${what}_test`);
    if (!tr !== !te)
      throw new UserError(`${file} has ${what}_${tr ? 'train' : 'test'} without ${what}_${tr ? 'test' : 'train'}.`);
    return tr && te ? concat(tr, te, what) : undefined;
  };
  const logits = pair('logits');
  const loss = pair('loss');
  const labels = pair('labels');
  const n = (logits ?? loss)?.shape[0];
  const train = (a.get('logits_train') ?? a.get('loss_train'))?.shape[0];
  if (n === undefined || train === undefined)
    throw new UserError(`${file} needs logits_train/logits_test or loss_train/loss_test.`);
  const member = { shape: [n], data: Float64Array.from({ length: n }, (_, i) => (i < train ? 1 : 0)) };
  return { member, ...(labels ? { labels } : {}), target: logits ? { logits } : { loss } };
}

/** The fields of the JSON signals format from an .npz's arrays. */
export function npzSignals(file: string): Record<string, unknown> {
  const a = arrays(file);
  for (const k of a.keys())
    if (![...MIA, ...TFP, ...IN].includes(k))
      throw new UserError(
        `${file} holds an array "${k}" mia does not know; the names are ${[...MIA, ...TFP, ...IN].join(', ')}.`,
      );
  const tfp = TFP.some((k) => a.has(k));
  if (tfp && MIA.some((k) => a.has(k)))
    throw new UserError(
      `${file} mixes TensorFlow Privacy's names (${TFP[0]}, ...) with mia's (member, ...); use one set.`,
    );
  const o: Record<string, unknown> = tfp ? fromTfPrivacy(a, file) : {};
  if (!tfp) {
    if (a.has('member')) o.member = a.get('member');
    if (a.has('labels')) o.labels = a.get('labels');
    o.target = a.has('target_logits') ? { logits: a.get('target_logits') } : { loss: a.get('target_loss') };
  }
  if (a.has('references_in') && a.has('memberships'))
    throw new UserError(`${file} has both references_in and memberships; keep one.`);
  const inMask = a.get('references_in') ?? a.get('memberships');
  const refs = a.get('references_logits')
    ? { logits: a.get('references_logits') }
    : a.get('references_loss')
      ? { loss: a.get('references_loss') }
      : null;
  if (refs || inMask) o.references = { ...(refs ?? {}), ...(inMask ? { in: inMask } : {}) };
  return o;
}
