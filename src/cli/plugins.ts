/** `--plugin FILE` (repeatable): plugin modules that register kinds, loaded before the command runs. */
import { loadPlugins, PluginError } from '../run/plugins.js';
import { UserError } from './errors.js';

export async function loadPluginsOrExplain(value: unknown): Promise<void> {
  const paths = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  try {
    await loadPlugins(paths);
  } catch (e) {
    if (e instanceof PluginError) throw new UserError(e.message);
    throw e;
  }
}
