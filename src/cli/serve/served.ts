/** A served model and the sources that read one (model-source.ts lists them). */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A model ready to answer: logits for `n` records given row-major (`shape` per record). */
export interface ServedModel {
  /** For the start-up line: what is served, e.g. `target "victim" of experiments/quickstart.mia`. */
  describe: string;
  shape: number[];
  classes: number;
  logits(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

export interface SourceOptions {
  /** The target's name, for a spec or a run's folder. */
  target?: string;
  /** The cache folder (a spec's default beside it when undefined; null: no cache). */
  cache?: string | null;
  /** The backend the model was trained on (part of the job hash) and runs on. */
  backend: string;
}

export interface ModelSource {
  name: string;
  /** What MODEL looks like for this source, for the message when none accepts it. */
  looksLike: string;
  accepts(path: string): boolean;
  load(path: string, o: SourceOptions): Promise<ServedModel>;
}

export const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
export const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
export const holds = (dir: string, name: string): boolean => isDir(dir) && isFile(join(dir, name));
