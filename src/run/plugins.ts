/**
 * Plugin modules (`mia run --plugin FILE`): modules that register kinds (e.g. `registerAttack`) when
 * imported. They are imported in the main thread (the checker and planner need the kinds) and, by the
 * pool, in every worker before it runs a job, since each thread has its own registry.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkUserFile, UserFileError } from '../util/user-file.js';

/** The largest plugin module mia imports. */
const PLUGIN_LIMIT = 16 * 1024 ** 2;

/** A plugin that is missing or throws while loading: the user's mistake, with the file named. */
export class PluginError extends Error {}

const loaded: string[] = [];

/** Imports each plugin file (paths relative to `base`) once, in order; returns their URLs. */
export async function loadPlugins(paths: readonly string[], base = process.cwd()): Promise<string[]> {
  for (const p of paths) {
    const file = resolve(base, p);
    if (!existsSync(file)) throw new PluginError(`The plugin ${p} does not exist (looked for ${file}).`);
    try {
      checkUserFile(file, { what: 'plugin', limit: PLUGIN_LIMIT });
    } catch (e) {
      if (e instanceof UserFileError)
        throw new PluginError(`The plugin ${e.message} Give --plugin a JavaScript module file.`);
      throw e;
    }
    const url = pathToFileURL(file).href;
    if (loaded.includes(url)) continue;
    await importPlugin(url, p);
    loaded.push(url);
  }
  return [...loaded];
}

/** Imports one plugin URL (in a worker: those the main thread loaded). */
export async function importPlugin(url: string, name = url): Promise<void> {
  try {
    await import(url);
  } catch (e) {
    throw new PluginError(`The plugin ${name} failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The URLs of the plugins loaded in this thread, for the workers' init data. */
export const pluginUrls = (): readonly string[] => [...loaded];
