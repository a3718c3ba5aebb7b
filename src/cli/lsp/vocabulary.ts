/**
 * What the editor knows of the language: the kinds of each family with their settings (read from the
 * descriptors' schemas, so hover and completion follow a new kind without an edit here), the settings of
 * the declarations' own blocks (tested against the checker's readers in test/lsp/vocabulary.test.ts),
 * and the metrics.
 */
import { attackKinds } from '../../attacks/kinds/index.js';
import { writtenSettings } from '../../attacks/index.js';
import { AUDIT_SCHEMA } from '../../audit/settings.js';
import { AUGMENTATIONS } from '../../check/read/augmentations.js';
import { PLOTS, REPORT_SETTINGS } from '../../check/read/report.js';
import { SUBSET_OPS } from '../../check/read/data.js';
import { COMMON, COMMON_DOCS, TARGET_SOURCES } from '../../check/read/target-sources/index.js';
import { SAMPLINGS } from '../../check/read/shadows.js';
import { dataSourceKinds } from '../../data/sources/index.js';
import { defenseKinds } from '../../defenses/index.js';
import { TARGET_METRICS } from '../../kinds/expectations.js';
import { PLAIN_METRICS } from '../../kinds/program.js';
import { describeDefault, describeType, type Setting, type SettingDoc } from '../../kinds/schema.js';
import { keywords } from '../../lang/tokens.js';
import { LAYER_KINDS, type LayerSetting } from '../../ml/layers/index.js';
import { OPTIMIZER_KINDS } from '../../ml/optimizers/index.js';
import { TRAIN_SCHEMA } from '../../ml/train-settings/index.js';

/** A setting as the editor shows it. */
export interface SettingInfo {
  name: string;
  doc: string;
  /** "integer, at least 1; 1000": type and bounds, then the default (or "required"). */
  type: string;
  default: string;
  /** The words it takes, for completion of its value. */
  options?: readonly string[];
  /** A declared name it takes (shadows, target) or a data subset, for completion of its value. */
  names?: 'shadows' | 'target' | 'dataset';
  /** The family of the items of its list value (`layers [...]`, `defenses [...]`). */
  items?: Family;
}

export type Family = 'attack' | 'data' | 'defense' | 'layer' | 'optimizer' | 'augmentation' | 'plot' | 'metric';

export interface KindInfo {
  family: Family;
  kind: string;
  summary: string;
  positional: readonly string[];
  settings: readonly SettingInfo[];
}

export const FAMILY_TITLE: Record<Family, string> = {
  attack: 'attack',
  data: 'data source',
  defense: 'defense',
  layer: 'layer',
  optimizer: 'optimizer',
  augmentation: 'augmentation',
  plot: 'plot',
  metric: 'metric',
};

const plain = (s: string): string => s.replace(/\\\|/g, '|');

function fromSchema(name: string, s: Setting): SettingInfo {
  const names =
    s.type === 'shadows' ? 'shadows' : s.type === 'target' ? 'target' : s.type === 'data' ? 'dataset' : null;
  return {
    name,
    doc: s.doc,
    type: plain(describeType(s)),
    default: describeDefault(s),
    ...(s.type === 'enum' ? { options: s.options } : s.type === 'boolean' ? { options: ['true', 'false'] } : {}),
    ...(names ? { names } : {}),
    ...(s.type === 'augmentations' ? { items: 'augmentation' as const } : {}),
  };
}

function fromLayer(name: string, s: LayerSetting): SettingInfo {
  const asSchema = { ...s, ...(s.limit ? { max: s.limit.max } : {}) } as Setting;
  const dflt = s.defaultFrom !== undefined ? `its ${s.defaultFrom}` : describeDefault(asSchema);
  return {
    name,
    doc: s.doc,
    type: plain(describeType(asSchema)),
    default: dflt,
    ...(s.type === 'enum' ? { options: s.options } : {}),
  };
}

const simple = (name: string, type: string, dflt: string, doc: string, extra: Partial<SettingInfo> = {}) => ({
  name,
  type,
  default: dflt,
  doc,
  ...extra,
});

const AUGMENTATION_DOC: Record<(typeof AUGMENTATIONS)[number], string> = {
  rotate: 'Copies rotated by −degrees and +degrees (images).',
  translate: 'Every shift by |dx| + |dy| = pixels (images).',
  flip_bits: 'count copies flipping 1 to max random binary features (tables).',
  noise: 'queries copies with Gaussian noise of deviation sigma.',
};
const AUGMENTATION_ARGS: Record<(typeof AUGMENTATIONS)[number], readonly string[]> = {
  rotate: ['degrees'],
  translate: ['pixels'],
  flip_bits: ['count', 'max'],
  noise: ['sigma', 'queries'],
};

const FIXED_KINDS: readonly KindInfo[] = [
  ...OPTIMIZER_KINDS.map((o) => ({
    family: 'optimizer' as const,
    kind: o.kind,
    summary: o.summary,
    positional: o.positional ?? [],
    settings: Object.entries(o.settings).map(([n, x]) => fromSchema(n, x)),
  })),
  ...AUGMENTATIONS.map((a) => ({
    family: 'augmentation' as const,
    kind: a,
    summary: AUGMENTATION_DOC[a],
    positional: AUGMENTATION_ARGS[a],
    settings: AUGMENTATION_ARGS[a].map((p) => simple(p, 'number', 'required', `The ${p}.`)),
  })),
  ...PLOTS.map((p) => ({
    family: 'plot' as const,
    kind: p,
    summary:
      p === 'roc' ? 'ROC curves; roc(log) on log-log axes.' : 'Histograms of the scores of members and non-members.',
    positional: p === 'roc' ? ['scale'] : [],
    settings:
      p === 'roc' ? [simple('scale', 'linear | log', 'linear', 'The axes.', { options: ['linear', 'log'] })] : [],
  })),
];

/** Every kind of every family: the registries' (plugins' included) read at each call. */
export function allKinds(): KindInfo[] {
  const described = (
    family: Family,
    ks: readonly { kind: string; summary: string; settings: Record<string, Setting>; positional?: readonly string[] }[],
  ) =>
    ks.map((k) => ({
      family,
      kind: k.kind,
      summary: k.summary,
      positional: k.positional ?? [],
      settings: Object.entries(k.settings).map(([n, s]) => fromSchema(n, s)),
    }));
  return [
    ...described(
      'attack',
      attackKinds().map((k) => ({ ...k, settings: writtenSettings(k) })),
    ),
    ...described('data', dataSourceKinds()),
    ...described('defense', defenseKinds()),
    ...LAYER_KINDS.map((k) => ({
      family: 'layer' as const,
      kind: k.name,
      summary: k.summary,
      positional: k.positional,
      settings: Object.entries(k.settings).map(([n, s]) => fromLayer(n, s)),
    })),
    ...FIXED_KINDS,
  ];
}

export const kindsOf = (family: Family): KindInfo[] => allKinds().filter((k) => k.family === family);

export const kindInfo = (family: Family | null, kind: string): KindInfo | undefined =>
  allKinds().find((k) => k.kind === kind && (family === null || k.family === family));

/** A setting its reader describes (a target source's, the report's). */
const fromDoc = (name: string, d: SettingDoc): SettingInfo => ({ name, ...d });

/** Each target source's settings (its own, then the common ones), from the descriptors (check/read/target-sources/). */
const TARGET_BLOCKS: Record<string, readonly SettingInfo[]> = Object.fromEntries(
  TARGET_SOURCES.map((s) => [
    `target.${s.kind}`,
    [
      ...[...new Set([...s.positional, ...s.named])].map((k) => fromDoc(k, s.docs[k]!)),
      ...COMMON.map((k) => fromDoc(k, COMMON_DOCS[k])),
    ],
  ]),
);

/** The settings of the blocks that are not a kind's: a declaration's body, train, early_stopping, report. */
export const BLOCKS: Record<string, readonly SettingInfo[]> = {
  experiment: [simple('seed', 'integer, at least 0', '0', "The experiment's seed: every job's seed derives from it.")],
  model: [
    simple('layers', 'list of layers', 'required', 'The layers, e.g. [dense(128, relu), dense(classes, softmax)].', {
      items: 'layer' as const,
    }),
    simple('train', 'block', 'required', 'The training settings: { optimizer, epochs, batch, ... }.'),
  ],
  // From the training settings' descriptors (ml/train-settings/): a new one is offered without an edit here.
  train: Object.entries(TRAIN_SCHEMA).map(([n, x]) =>
    n === 'optimizer' ? { ...fromSchema(n, x), items: 'optimizer' as const } : fromSchema(n, x),
  ),
  early_stopping: Object.entries((TRAIN_SCHEMA.early_stopping as Extract<Setting, { type: 'block' }>).settings).map(
    ([n, x]) => fromSchema(n, x),
  ),
  shadows: [
    simple('model', 'model name', 'required', 'The model each shadow trains.'),
    simple('count', 'integer, at least 1', 'required', 'How many shadow models.'),
    simple('pool', 'data subset', 'required', 'The records the shadows draw from.', { names: 'dataset' as const }),
    simple('size', 'integer, at least 1', 'required (not with half)', 'Training records per shadow model.'),
    simple('sampling', SAMPLINGS.join(' | '), 'overlapping', 'How each model draws its records from the pool.', {
      options: SAMPLINGS,
    }),
    simple('defenses', 'mimic | none', 'mimic', "Train with the target's training-time defenses, or none.", {
      options: ['mimic', 'none'],
    }),
  ],
  ...TARGET_BLOCKS,
  // From the report reader's table (check/read/report.ts).
  report: Object.entries(REPORT_SETTINGS).map(([n, d]) => fromDoc(n, d)),
  // From the audit's schema (audit/settings.ts).
  audit: Object.entries(AUDIT_SCHEMA).map(([n, x]) => fromSchema(n, x)),
};

/** The block of a target written as a bare block, `target t { ... }`: the `bare` source's (local). */
export const BARE_TARGET_BLOCK = `target.${TARGET_SOURCES.find((s) => s.bare)?.kind}`;

/** The target kinds written as `target t = KIND ...` (a bare block is the `bare` source's, local). */
export const TARGET_KINDS: readonly string[] = TARGET_SOURCES.filter((s) => !s.bare).map((s) => s.kind);

export const METRIC_DOCS: Record<string, string> = {
  auc: 'The area under the ROC curve.',
  balanced_accuracy: 'The best balanced accuracy over thresholds.',
  advantage: 'The membership advantage, max TPR − FPR.',
  precision: 'Precision at the threshold of best balanced accuracy.',
  recall: 'Recall at the threshold of best balanced accuracy.',
  tpr: 'tpr@LEVEL%: the true-positive rate at that false-positive rate.',
};
export const METRICS: readonly string[] = [...PLAIN_METRICS, 'tpr'];
export { TARGET_METRICS };

/** The declaration keywords, for completion at the top level (the lexer's keywords but `in`). */
export const DECLARATIONS: readonly string[] = keywords
  .map((k) => String(k.LABEL).slice(1, -1))
  .filter((w) => w !== 'in');

/** The subset steps of a dataset: `d.take(1000)`, `d.rest`. */
export const SUBSETS: readonly string[] = SUBSET_OPS;
