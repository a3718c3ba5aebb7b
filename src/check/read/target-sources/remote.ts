import { REMOTE_DOCS, REMOTE_SETTINGS, readRemoteSettings } from '../remote.js';
import { defineTargetSource } from './source.js';

/** An HTTP prediction API: `target t = remote { url, output, budget, headers, timeout, members, nonmembers }`. */
export const remote = defineTargetSource({
  kind: 'remote',
  usage: 'remote { url, ... }',
  positional: [],
  named: REMOTE_SETTINGS,
  docs: REMOTE_DOCS,
  api: true,
  noHillClimb: (dataset, target) =>
    `"${dataset}" would hill-climb on the remote target "${target}": model-based synthesis needs a model mia ` +
    'holds (a local or imported target), not yet an API. Use marginals, or import the model.',
  read: (ctx, what, p, need, common) => {
    const settings = readRemoteSettings(ctx, p, what, need);
    if (!settings || !common) return undefined;
    const { name, members, nonmembers, defenses, file, range } = common;
    return { kind: 'remote', name, ...settings, members, nonmembers, defenses, file, range };
  },
});
