/**
 * The one error type of the data formats: a user's file that cannot be used. It names the file and,
 * where it applies, the line (1-based, as an editor shows it) or the record (0-based, as numpy counts),
 * and its message says what is wrong and what to do.
 */
import { bytesText, FILE_LIMIT, readUserFile, UserFileError } from '../../util/user-file.js';

export interface DataErrorPlace {
  line?: number;
  record?: number;
}

export class DataError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly record: number | undefined;
  constructor(file: string, message: string, place: DataErrorPlace = {}) {
    const where =
      place.line !== undefined ? `:${place.line}` : place.record !== undefined ? ` (record ${place.record})` : '';
    super(`${file}${where}: ${message}`);
    this.name = 'DataError';
    this.file = file;
    this.line = place.line;
    this.record = place.record;
  }
}

/**
 * A file's bytes, through the one reader of users' files (util/user-file.ts): a missing or unreadable
 * file, a folder, a special file (/dev/zero, a FIFO), a file over the 2 GB limit or an empty file is a
 * DataError saying so, before any byte is read.
 */
export function readBytes(path: string, what = 'data file'): Buffer {
  let bytes: Buffer;
  try {
    bytes = readUserFile(path, {
      what,
      missing: `The ${what} does not exist or cannot be read; check the path (relative paths are resolved against the .mia file's folder).`,
    });
  } catch (e) {
    if (e instanceof UserFileError) throw new DataError(path, e.message.slice(path.length + 2));
    throw e;
  }
  if (bytes.length === 0) throw new DataError(path, `The ${what} is empty.`);
  return bytes;
}

/** The largest dataset mia builds (its features as 32-bit floats): 2 GB. */
export const DATASET_LIMIT = FILE_LIMIT;

/** Refuses, before allocating it, a dataset of `n` records of `features` values each over DATASET_LIMIT. */
export function checkDatasetSize(file: string, n: number, features: number): void {
  const bytes = n * features * 4;
  if (bytes > DATASET_LIMIT)
    throw new DataError(
      file,
      `The dataset would hold ${n.toLocaleString('en-US')} records of ${features.toLocaleString('en-US')} features, ${bytesText(bytes)} as 32-bit floats, over the ${bytesText(DATASET_LIMIT)} limit; use fewer records or features.`,
    );
}

/** The first value of `values` that is NaN or ±Infinity, as [index, value], or null. */
export function firstNonFinite(values: ArrayLike<number>): [number, number] | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return [i, values[i]!];
  return null;
}

/** The most classes a dataset may have (ImageNet's 1,000): a model's output and the logits scale with it. */
export const MAX_CLASSES = 1000;

/**
 * Integer class labels 0..k-1: every label an integer ≥ 0 (and below `classes` where given, and below
 * MAX_CLASSES: a stray label 10⁹ would make 10⁹ + 1 classes), at least two classes. Labels are class
 * indices, not remapped (an imported model's outputs are in that order); classes between them with no
 * record are allowed. Returns k (the given `classes`, else the largest label + 1).
 */
export function checkLabels(file: string, labels: ArrayLike<number>, classes?: number): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0 || (classes !== undefined && v >= classes))
      throw new DataError(
        file,
        `The label ${v} is not a class index ${classes !== undefined ? `0..${classes - 1}` : '(an integer ≥ 0)'}.`,
        { record: i },
      );
    if (v >= MAX_CLASSES)
      throw new DataError(
        file,
        `The label ${v} is not a class index 0..${MAX_CLASSES - 1}: labels are class indices 0..k-1 and mia takes at most ${MAX_CLASSES.toLocaleString('en-US')} classes (this label alone would make ${(v + 1).toLocaleString('en-US')}). Map the labels to 0..k-1.`,
        { record: i },
      );
    if (v > max) max = v;
  }
  const k = classes ?? max + 1;
  const first = labels.length > 0 ? labels[0]! : -1;
  let distinct = false;
  for (let i = 1; i < labels.length && !distinct; i++) distinct = labels[i] !== first;
  if (!distinct)
    throw new DataError(
      file,
      labels.length === 0
        ? 'There are no records.'
        : `Every record has the label ${first}: a classifier needs at least two classes.`,
    );
  return k;
}
