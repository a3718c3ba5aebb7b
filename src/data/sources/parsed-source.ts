/**
 * What the file-based sources share. Paths are resolved against the folder of the spec that declared
 * the dataset. The files are parsed once per content: the main thread's `facts` parses through
 * cachedParse (formats/cached.ts), which stores the result under `<cache>/datasets/<key>.bin`, and
 * returns the key; a worker's `load` gets that key and reads the stored parse, never the raw files
 * (it parses them only when the stored file has gone). Normalisation is fitted on the whole dataset,
 * as its owner would before training the target, and applied before the parse is stored: the
 * attacker is assumed to know the owner's preprocessing (Shokri et al.'s setting).
 */
import { resolve } from 'node:path';
import type { Dataset } from '../dataset.js';
import { cachedParse, readCachedParse } from '../formats/cached.js';
import { applyNormalizer, fitNormalizer, type NormalizeMethod } from '../formats/normalize.js';
import type { Parsed } from '../formats/parsed.js';
import type { SourceContext, SourceFacts } from '../source.js';

/** A path of a spec, resolved against the spec's folder. */
export const pathIn = (ctx: SourceContext, p: string): string => resolve(ctx.dir, p);

export interface ParseRequest {
  format: string;
  /** The input files, resolved. */
  files: string[];
  /** Everything else the parse depends on (JSON-able). */
  options: unknown;
  normalize: NormalizeMethod;
  parse: (bytes: Buffer[]) => Parsed;
}

/** The last few parses of this thread, by key: the jobs of one worker share them. */
const memo = new Map<string, Parsed>();
const MEMO = 4;

function remember(key: string, p: Parsed): Parsed {
  memo.delete(key);
  memo.set(key, p);
  while (memo.size > MEMO) memo.delete(memo.keys().next().value!);
  return p;
}

export const normalized = (p: Parsed, method: NormalizeMethod): Parsed =>
  method === 'none' ? p : { ...p, dataset: applyNormalizer(p.dataset, fitNormalizer(p.dataset, method)) };

/** The parse of a request: this thread's, the stored one under ctx.key, or parsed now (and stored). */
export function parsedOf(req: ParseRequest, ctx: SourceContext): { parsed: Parsed; key: string } {
  if (ctx.key) {
    const known = memo.get(ctx.key) ?? readCachedParse(ctx.cacheDir, ctx.key);
    if (known) return { parsed: remember(ctx.key, known), key: ctx.key };
  }
  const r = cachedParse({
    cacheDir: ctx.cacheDir,
    format: req.format,
    files: req.files,
    options: { options: req.options, normalize: req.normalize },
    parse: (bytes) => normalized(req.parse(bytes), req.normalize),
  });
  return { parsed: remember(r.key, r), key: r.key };
}

export const datasetOf = (p: Parsed): Omit<Dataset, 'name'> => {
  const { name: _, ...d } = p.dataset;
  return d;
};

export const factsOf = ({ parsed, key }: { parsed: Parsed; key: string }): SourceFacts => {
  const d = parsed.dataset;
  return { n: d.n, classes: d.classes, shape: d.shape, labels: d.y, kind: d.kind, key, notes: parsed.notes };
};

/** `load` of a file-based source, from its request. */
export const loadFrom = (req: ParseRequest, ctx: SourceContext): Omit<Dataset, 'name'> =>
  datasetOf(parsedOf(req, ctx).parsed);

/** `facts` of a file-based source, from its request. */
export const factsFrom = (req: ParseRequest, ctx: SourceContext): SourceFacts => factsOf(parsedOf(req, ctx));
