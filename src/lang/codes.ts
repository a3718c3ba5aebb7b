/**
 * Every diagnostic code, with its owner and a one-line meaning. A code has one owner (the parser, the
 * reader, a rule, a kind's descriptor, the planner): the file that says when it is emitted; other files
 * may emit it only with the same meaning (`shared`). `Code`, the type of `Diagnostic.code`, is derived
 * from this table, so a code that is not here is a type error; test/check/codes.test.ts checks that every
 * code written in src/ and in the README is here, and that each file writing one is its owner or shares it.
 * Codes are never reused: a code whose check is removed stays retired. Owners are paths below src/.
 */
export interface CodeInfo {
  /** The file that emits it (below src/). */
  owner: string;
  meaning: string;
  /** Other files that emit it, with the same meaning. */
  shared?: readonly string[];
}

export const CODES = {
  E001: { owner: 'lang/parse.ts', meaning: 'A character no token starts with.' },
  E002: { owner: 'lang/parse.ts', meaning: 'A syntax error: a token where the grammar expects another.' },
  E003: { owner: 'pipeline/read.ts', meaning: 'The spec file is not valid text (its encoding or its characters).' },
  E004: {
    owner: 'lang/parse.ts',
    meaning: 'Nesting or chaining deeper than the parser reads.',
    shared: ['lang/build-ast.ts'],
  },
  E005: { owner: 'lang/parse.ts', meaning: 'An unterminated string or unclosed comment.' },
  E009: {
    owner: 'lang/nesting-limits.ts',
    meaning: 'More syntax errors than are shown.',
    shared: ['lang/parse.ts'],
  },
  E101: { owner: 'check/read/expr-reader.ts', meaning: 'An unknown setting.' },
  E102: { owner: 'check/read/expr-reader.ts', meaning: 'A setting given twice.' },
  E103: {
    owner: 'check/read/expr-reader.ts',
    meaning: 'A required setting is missing.',
    shared: ['check/read/augmentations.ts'],
  },
  E104: { owner: 'check/read/expr-reader.ts', meaning: 'Too many positional arguments.' },
  E110: {
    owner: 'check/read/expr-reader.ts',
    meaning: 'A number is expected (a finite one; whole where said).',
    shared: ['check/read/remote.ts'],
  },
  E111: {
    owner: 'check/rules/positive-settings.ts',
    meaning: 'A count or magnitude must be positive (or at least 1).',
    shared: ['check/rules/setting-bounds.ts'],
  },
  E112: { owner: 'check/read/expr-reader.ts', meaning: 'A name is expected.' },
  E113: { owner: 'check/read/expr-reader.ts', meaning: 'A name that is not one of the options.' },
  E114: {
    owner: 'check/read/expr-reader.ts',
    meaning: 'A block in braces is expected.',
    shared: ['check/read/settings.ts'],
  },
  E115: { owner: 'check/read/expr-reader.ts', meaning: 'A string in double quotes is expected.' },
  E116: { owner: 'check/read/expr-reader.ts', meaning: 'A list in brackets is expected.' },
  E117: {
    owner: 'check/rules/range-settings.ts',
    meaning: 'A number outside its range (fractions, delta, momentum, seed, a timeout).',
    shared: ['check/rules/setting-bounds.ts', 'check/read/remote.ts'],
  },
  E118: {
    owner: 'check/rules/size-limits.ts',
    meaning: 'A size past what any run can do.',
    shared: ['check/rules/setting-bounds.ts'],
  },
  E119: { owner: 'check/rules/plan-size.ts', meaning: 'The plan as a whole is past a limit.' },
  E120: { owner: 'check/read/data.ts', meaning: "A subset's arguments are wrong." },
  E121: { owner: 'check/read/data.ts', meaning: 'An unknown subset of a dataset.' },
  E122: { owner: 'check/read/data.ts', meaning: 'A subset in the wrong place of a chain.' },
  E130: { owner: 'check/read/data.ts', meaning: 'A dataset that is not a data source.' },
  E131: { owner: 'check/read/data.ts', meaning: 'An unknown data source.' },
  E140: { owner: 'check/read/attacks.ts', meaning: 'An attack that names no attack kind.' },
  E141: { owner: 'check/read/attacks.ts', meaning: 'An unknown attack kind.' },
  E142: { owner: 'attacks/kinds/threshold.ts', meaning: 'A per-class threshold without shadow models.' },
  E143: { owner: 'attacks/kinds/label-only.ts', meaning: "A label-only attack without its method's augmentations." },
  E144: { owner: 'attacks/kinds/rmia.ts', meaning: 'An RMIA trim of 50% or more, which leaves no value to average.' },
  E145: { owner: 'check/read/augmentations.ts', meaning: 'An unknown augmentation.' },
  E150: { owner: 'check/read/report.ts', meaning: 'An unknown metric.' },
  E151: { owner: 'check/read/report.ts', meaning: 'A metric level where none is taken, or none where one is needed.' },
  E152: { owner: 'check/rules/tpr-level.ts', meaning: 'A tpr@ level not strictly between 0% and 100%.' },
  E153: { owner: 'check/read/report.ts', meaning: 'An unknown plot.' },
  E154: { owner: 'check/read/report.ts', meaning: 'A tpr@ level without a % sign.' },
  E155: { owner: 'check/read/audit.ts', meaning: 'An unknown audit method.' },
  E156: { owner: 'check/read/audit.ts', meaning: 'An audit method with no δ = 0 form named at delta 0.' },
  E157: { owner: 'check/read/slices.ts', meaning: 'A report slice that is not class or a column name in quotes.' },
  E158: {
    owner: 'check/rules/slices.ts',
    meaning: 'Slices by a column of a dataset without named columns (images, generated data).',
  },
  E160: { owner: 'defenses/dp-sgd.ts', meaning: 'dp_sgd needs exactly one of noise and epsilon.' },
  E161: { owner: 'check/read/layers.ts', meaning: 'An unknown layer, or a layer that is not a layer kind.' },
  E162: { owner: 'check/read/layers.ts', meaning: 'A layer without a setting it needs.' },
  E163: {
    owner: 'defenses/dp-sgd.ts',
    meaning: 'A dp_sgd epsilon below the least the accountant reaches at its delta.',
  },
  E164: { owner: 'defenses/top-k.ts', meaning: 'top_k releases more classes than the data has.' },
  E165: { owner: 'check/rules/release-order.ts', meaning: 'Output defenses in an order no deployment has.' },
  E170: { owner: 'ml/train-settings/optimizer.ts', meaning: 'An unknown optimizer.' },
  E171: { owner: 'check/read/models.ts', meaning: "A model's layers list is empty." },
  E180: { owner: 'check/read/defenses.ts', meaning: 'An unknown defense, or one that is not a defense kind.' },
  E190: { owner: 'check/read/targets.ts', meaning: 'A target that is not a local, imported, ONNX or remote model.' },
  E191: { owner: 'check/read/report.ts', meaning: 'A sweep with no values (as read).' },
  E192: { owner: 'check/read/report.ts', meaning: 'A sweep value that is not a number, a string or a name.' },
  E193: {
    owner: 'check/read/remote.ts',
    meaning: "A remote target's headers or url would carry a secret or cannot be sent as written.",
  },
  E198: {
    owner: 'check/read/shadows.ts',
    meaning: 'A shadows declaration that is neither a block of trained models nor onnx_models(...).',
  },
  E199: {
    owner: 'check/read/shadow-sources/onnx-models.ts',
    meaning:
      'ONNX reference models written so they cannot be read (an empty list, a pool that is not a whole dataset).',
  },
  E201: { owner: 'check/rules/unique-names.ts', meaning: 'A name declared twice.' },
  E202: { owner: 'check/rules/known-names.ts', meaning: 'A reference to no declaration of the right kind.' },
  E203: { owner: 'check/rules/required-declarations.ts', meaning: 'No experiment header, or more than one.' },
  E204: { owner: 'check/rules/required-declarations.ts', meaning: 'The experiment declares no target.' },
  E205: { owner: 'check/rules/required-declarations.ts', meaning: 'The experiment declares no attack.' },
  E206: {
    owner: 'check/rules/required-declarations.ts',
    meaning: 'More than one of a declaration the experiment takes once.',
  },
  E210: { owner: 'check/modules.ts', meaning: 'An import that cannot be read.' },
  E211: { owner: 'check/modules.ts', meaning: 'An import cycle.' },
  E260: {
    owner: 'kinds/expectations.ts',
    meaning: "An expectation's form or subject is wrong (not a comparison, an unknown attack or target).",
    shared: ['check/read/expect.ts', 'check/read/report.ts'],
  },
  E261: {
    owner: 'kinds/expectations.ts',
    meaning: 'An expectation names no metric, or an unknown one, of its subject.',
  },
  E262: { owner: 'kinds/expectations.ts', meaning: 'An expectation on the interval of a metric that has none.' },
  E264: {
    owner: 'kinds/expectations.ts',
    meaning:
      'An expectation naming slices where none can be taken (of a target, an audit; not class or a quoted column).',
    shared: ['check/read/expect.ts'],
  },
  E263: {
    owner: 'kinds/expectations.ts',
    meaning: 'An audit expectation without an audit, or an unknown audit figure.',
  },
  E301: { owner: 'check/rules/shadow-pool-size.ts', meaning: 'A shadow pool too small for its models.' },
  E302: { owner: 'check/rules/takes-fit.ts', meaning: "A dataset's takes do not fit in it." },
  E303: { owner: 'check/rules/half-sampling.ts', meaning: 'Half sampling with an odd count (or fewer than 2).' },
  E304: {
    owner: 'check/rules/membership-subsets.ts',
    meaning: 'd.members or d.nonmembers of a dataset without a membership column.',
  },
  E310: { owner: 'check/rules/online-needs-half.ts', meaning: 'Online LiRA/RMIA without half-sampled shadows.' },
  E311: {
    owner: 'check/rules/synthetic-pool.ts',
    meaning: 'Online modes, populations or augmentations on synthesised data.',
  },
  E312: {
    owner: 'check/rules/online-needs-half.ts',
    meaning: "Online modes on a pool that holds none of the targets' records.",
  },
  E320: { owner: 'check/rules/augmentation-data.ts', meaning: 'An augmentation on data of the wrong modality.' },
  E330: { owner: 'check/rules/conv-on-tabular.ts', meaning: 'Convolution or pooling layers on tabular data.' },
  E340: { owner: 'check/rules/members-overlap.ts', meaning: "A target's members and non-members can share records." },
  E341: {
    owner: 'check/rules/members-overlap.ts',
    meaning: "A target's canaries share records with its members or non-members.",
  },
  E342: { owner: 'check/rules/model-size.ts', meaning: 'A model too large to train on this machine.' },
  E350: {
    owner: 'check/rules/needs-probabilities.ts',
    meaning: 'An attack needing probabilities against a labels-only target.',
  },
  E360: {
    owner: 'check/rules/audit-canaries.ts',
    meaning: 'An audit naming an attack the experiment does not declare.',
  },
  E361: { owner: 'check/rules/audit-canaries.ts', meaning: 'An audit without canaries on a target.' },
  E400: {
    owner: 'plan/compile-point.ts',
    meaning: 'The program cannot be compiled into a plan (no target, a name the planner cannot find).',
  },
  E401: {
    owner: 'plan/compile-point.ts',
    meaning: 'A target mia does not train (a model file, an API) given canaries or training-time defenses.',
  },
  E402: {
    owner: 'plan/compile-point.ts',
    meaning: 'A target model file (tfjs or ONNX), or an ONNX reference model file, that cannot be used.',
    shared: ['plan/onnx.ts'],
  },
  E403: {
    owner: 'plan/compile-point.ts',
    meaning: "The targets' members and non-members do not come from one real dataset (or two whole, alike ones).",
    shared: ['plan/joined.ts'],
  },
  E404: { owner: 'plan/compile-point.ts', meaning: 'A model whose training set cannot be made as declared.' },
  E405: { owner: 'plan/remote.ts', meaning: 'A remote target mia cannot query as declared (url, headers, budget).' },
  E406: { owner: 'plan/compile-synthesis.ts', meaning: 'Synthesised shadow data that cannot be made as declared.' },
  E407: { owner: 'plan/canaries.ts', meaning: 'Canaries that cannot be drawn as declared.' },
  E408: { owner: 'plan/compile-defenses.ts', meaning: 'Defenses that cannot be combined or set up as declared.' },
  E409: { owner: 'plan/compile-attacks.ts', meaning: 'An attack whose data needs the plan cannot meet.' },
  E410: {
    owner: 'plan/compile-point.ts',
    meaning: 'Subsets the dataset cannot supply (sizes, overlaps, shadow splits).',
  },
  E411: {
    owner: 'plan/slices.ts',
    meaning: 'A slice column the data lacks, or with more distinct values among the candidates than a report shows.',
  },
  E418: {
    owner: 'plan/onnx-shadows.ts',
    meaning:
      'ONNX reference model files, or their in mask, that cannot be used (no file matched, a shape that does not fit).',
  },
  E419: {
    owner: 'plan/onnx-shadows.ts',
    meaning: 'An attack needing IN or OUT reference models for a record that the in mask gives none.',
  },
  E601: { owner: 'check/sweep.ts', meaning: 'A sweep path that names no declaration and setting.' },
  E602: { owner: 'check/sweep.ts', meaning: 'A sweep over a setting that cannot be swept.' },
  E603: { owner: 'check/sweep.ts', meaning: 'A sweep value that the setting does not take.' },
  E604: { owner: 'check/sweep.ts', meaning: 'A sweep with no values.' },
  E605: { owner: 'check/sweep.ts', meaning: 'A setting swept twice.' },
  E606: { owner: 'check/sweep.ts', meaning: 'A sweep value listed twice.' },
  E900: { owner: 'check/runnable.ts', meaning: 'A construct that checks but does not run yet.' },
  E901: { owner: 'check/runnable.ts', meaning: 'A file with no experiment to run (a library of declarations).' },
  W150: { owner: 'check/read/report.ts', meaning: 'A metric listed twice.' },
  W152: { owner: 'check/rules/tpr-level.ts', meaning: 'A tpr@ level below 1/(non-members).' },
  W157: { owner: 'check/read/slices.ts', meaning: 'A report slice listed twice.' },
  W165: { owner: 'check/rules/release-order.ts', meaning: 'An output defense that changes nothing where it is.' },
  W260: { owner: 'check/rules/expectations.ts', meaning: 'An expectation that can never fail or never hold.' },
  W301: { owner: 'attacks/kinds/shadow-model.ts', meaning: 'A shadow-model attack with a single shadow model.' },
  W302: { owner: 'attacks/kinds/lira.ts', meaning: "LiRA's variances from fewer than 8 models." },
  W303: { owner: 'attacks/kinds/rmia.ts', meaning: 'An RMIA trim that cuts nothing with so few models.' },
  W340: { owner: 'check/rules/model-size.ts', meaning: 'A model above 100 million parameters.' },
  W350: {
    owner: 'check/rules/needs-probabilities.ts',
    meaning: 'An attack skipped against a labels-only target among several.',
  },
} as const satisfies Record<string, CodeInfo>;

/** A diagnostic code: one of the table's keys. */
export type Code = keyof typeof CODES;
