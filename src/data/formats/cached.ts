/**
 * Parsed once, cached by content: a parsed dataset stored under `<cacheDir>/datasets/<key>.bin`, where
 * the key is the sha256 of the format's name, its options (JSON with sorted keys) and the sha256 of
 * each input file's bytes. So workers (and later runs) read the binary instead of re-parsing, and an
 * edited file or changed option misses. The file: "MIADATA1", a u32 length, a JSON head (dataset
 * fields, the rest of the parse result, the byte sizes, the sha256 of the arrays' bytes), then x (float32)
 * and y (int32), little-endian, written atomically. A file that does not decode, or whose arrays do not
 * match their sha256 (torn by a power loss, changed on disk), is ignored and rewritten: never read as data.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicAsync } from '../../util/atomic.js';
import type { Dataset } from '../dataset.js';
import { readBytes } from './errors.js';
import type { Parsed } from './parsed.js';

const MAGIC = 'MIADATA2';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const stable = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export interface CachedParseRequest<T extends Parsed> {
  /** Where the cache lives (the run's cache folder). */
  cacheDir: string;
  /** The format's name, e.g. "csv": part of the key. */
  format: string;
  /** The input files; their bytes are hashed and handed to `parse` in this order. */
  files: string[];
  /** Everything else the result depends on (JSON-able). */
  options: unknown;
  /** Parses the files' bytes; everything it returns besides `dataset` must be JSON-able. */
  parse: (bytes: Buffer[]) => T;
  /**
   * Store the parse in the background, not before returning (the dataset is used now, the stored copy
   * only by later processes; one that exits before the write ends leaves none, and the next parses again).
   */
  later?: boolean;
}

/** The cache key of a request: sha256 over format, options and the files' content hashes. */
export const cacheKey = (format: string, options: unknown, bytes: Uint8Array[]): string =>
  sha(stable({ format, options, files: bytes.map(sha) }));

function encode(p: Parsed): Uint8Array {
  const { dataset, ...rest } = p;
  const { x, y, ...meta } = dataset;
  const xb = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const yb = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  const sum = createHash('sha256').update(xb).update(yb).digest('hex');
  const head = Buffer.from(JSON.stringify({ meta, rest, xLength: x.length, yLength: y.length, sha256: sum }), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + head.length) % 4)) % 4;
  const at = MAGIC.length + 4 + head.length + pad;
  const out = new Uint8Array(at + x.byteLength + y.byteLength);
  out.set(Buffer.from(MAGIC, 'latin1'));
  new DataView(out.buffer).setUint32(MAGIC.length, head.length + pad, true);
  out.set(head, MAGIC.length + 4);
  out.fill(0x20, MAGIC.length + 4 + head.length, at);
  out.set(xb, at);
  out.set(yb, at + x.byteLength);
  return out;
}

function decode<T extends Parsed>(b: Buffer): T | null {
  if (b.length < MAGIC.length + 4 || b.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  const len = b.readUInt32LE(MAGIC.length);
  const at = MAGIC.length + 4 + len;
  let head: {
    meta: Omit<Dataset, 'x' | 'y'>;
    rest: Record<string, Json>;
    xLength: number;
    yLength: number;
    sha256: string;
  };
  try {
    head = JSON.parse(b.toString('utf8', MAGIC.length + 4, at));
  } catch {
    return null;
  }
  if (!head || typeof head !== 'object') return null;
  if (b.length !== at + 4 * (head.xLength + head.yLength)) return null;
  if (sha(b.subarray(at)) !== head.sha256) return null;
  const copy = b.buffer.slice(b.byteOffset + at, b.byteOffset + b.length);
  const x = new Float32Array(copy, 0, head.xLength);
  const y = new Int32Array(copy, 4 * head.xLength, head.yLength);
  return { ...head.rest, dataset: { ...head.meta, x, y } } as unknown as T;
}

/**
 * The parse result for these files and options: from the cache when there, else parsed and stored.
 * Reading a missing or empty input file is a DataError, as when parsing directly.
 */
export function cachedParse<T extends Parsed>(req: CachedParseRequest<T>): T & { cached: boolean; key: string } {
  const bytes = req.files.map((f) => readBytes(f));
  const key = cacheKey(req.format, req.options, bytes);
  const hit = readCachedParse<T>(req.cacheDir, key);
  if (hit) return { ...hit, cached: true, key };
  const parsed = req.parse(bytes);
  const file = join(req.cacheDir, 'datasets', `${key}.bin`);
  if (req.later) setImmediate(() => void writeFileAtomicAsync(file, encode(parsed)).catch(() => {}));
  else writeFileAtomic(file, encode(parsed));
  return { ...parsed, cached: false, key };
}

/** The parse stored under `key` (what cachedParse returned as `key`), or null when absent or undecodable. */
export function readCachedParse<T extends Parsed>(cacheDir: string, key: string): T | null {
  const path = join(cacheDir, 'datasets', `${key}.bin`);
  return existsSync(path) ? decode<T>(readFileSync(path)) : null;
}

/**
 * The cache of parsed files for a run without a cache folder (--no-cache): `mia-parsed-<uid>` in the system's
 * temporary folder, made readable by this user only. Another user could otherwise leave a file there for mia to
 * read as data. When that folder is not this user's own, with no access for others (a link, another owner, wider
 * permissions), a fresh private folder is used instead.
 */
let privateDir: string | undefined;

export function privateTempCacheDir(): string {
  privateDir ??= ownTempDir();
  return privateDir;
}

function ownTempDir(): string {
  const uid = process.getuid?.();
  const dir = join(tmpdir(), `mia-parsed-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0) return dir;
  } catch {
    // fall through to a folder of this run's own
  }
  return mkdtempSync(join(tmpdir(), 'mia-parsed-'));
}
