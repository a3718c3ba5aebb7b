import type { TargetCommon } from './source.js';
import { defineTargetSource } from './source.js';

// The fields in the order a target definition has always listed them (results and hashes read them).
const withModel = ({ name, members, nonmembers, defenses, file, range }: TargetCommon, model: string) => ({
  name,
  model,
  members,
  nonmembers,
  defenses,
  file,
  range,
});

/** A model mia trains: `target t { model, members, nonmembers }`. */
export const local = defineTargetSource({
  kind: 'local',
  usage: 'a local model { model, members, nonmembers }',
  bare: true,
  trains: true,
  positional: [],
  named: ['model'],
  docs: { model: { type: 'model name', default: 'required', doc: 'The model trained on the members.' } },
  read: (ctx, what, _p, need, common) => {
    const mE = need('model');
    const model = mE ? ctx.r.name(mE.value, `The model of ${what}`) : undefined;
    return model && common ? { kind: 'local', ...withModel(common, model) } : undefined;
  },
});
