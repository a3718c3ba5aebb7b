/**
 * The content-addressed cache: one folder per job hash, holding entry.json (the output's structure and
 * the size and sha256 of every other file), data.bin and, for models, model-N/model.json +
 * weights.bin (the tfjs format). An entry is written to a temporary folder and renamed into place, so
 * a reader sees a whole entry or none; it is verified when read (entry.json carries the sha256 of its
 * own content, including the output's JSON part, and of every other file), and a corrupt one is
 * discarded.
 *
 * Files are not fsynced. The rename makes an entry appear whole to every other process (and, on a network
 * mount, to every machine that opens it after, by close-to-open consistency); what an fsync adds is only
 * that the entry survives a power loss or a kernel crash. An entry torn by one (a file empty, short or
 * zero-filled behind a rename that did reach the disk) fails the checksums when read, is discarded, and
 * its job runs again: the cost of a lost write is a rerun, never a wrong number, so no write waits for
 * the disk.
 */
import { namingPath } from '../util/fs-errors.js';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeOutput, encodeOutput, type Encoded } from './codec.js';

const FORMAT = 2;
const HASH_RE = /^[0-9a-f]{64}$/;

interface EntryFile {
  format: number;
  hash: string;
  job: string;
  files: Record<string, { size: number; sha256: string }>;
  value: Encoded;
}

/** entry.json on disk: the entry and the sha256 of its JSON text (the order of keys is kept by a parse and stringify). */
type SealedEntry = EntryFile & { sha256: string };

export type CacheRead<T> = { status: 'hit'; value: T } | { status: 'miss' } | { status: 'corrupt'; reason: string };

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Writes a file of an entry being made (not fsynced: see the header). */
function writeEntryFile(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    let off = 0;
    while (off < data.byteLength) off += writeSync(fd, data, off, data.byteLength - off);
  } finally {
    closeSync(fd);
  }
}

export class Cache {
  constructor(readonly dir: string) {}

  private entryDir(hash: string): string {
    if (!HASH_RE.test(hash)) throw new Error(`Not a job hash: ${hash}`);
    return join(this.dir, hash);
  }

  /** Whether a whole entry is there (without verifying its contents). */
  has(hash: string): boolean {
    return existsSync(join(this.entryDir(hash), 'entry.json'));
  }

  /** Reads and verifies an entry. A corrupt entry is removed and reported as such. */
  get<T>(hash: string): CacheRead<T> {
    const dir = this.entryDir(hash);
    if (!existsSync(dir)) return { status: 'miss' };
    try {
      return { status: 'hit', value: this.read(hash) as T };
    } catch (e) {
      this.remove(hash);
      return { status: 'corrupt', reason: (e as Error).message };
    }
  }

  /**
   * Whether an entry is there and intact (its checksums and structure verified, as `get` does), without
   * removing a corrupt one: what `mia plan` calls "cached".
   */
  verify(hash: string): CacheRead<true> {
    if (!existsSync(this.entryDir(hash))) return { status: 'miss' };
    try {
      this.read(hash);
      return { status: 'hit', value: true };
    } catch (e) {
      return { status: 'corrupt', reason: (e as Error).message };
    }
  }

  /** The decoded output of an entry; throws with the reason when it is corrupt. */
  private read(hash: string): unknown {
    const dir = this.entryDir(hash);
    let sealed: SealedEntry;
    try {
      sealed = JSON.parse(readFileSync(join(dir, 'entry.json'), 'utf8')) as SealedEntry;
    } catch (e) {
      throw new Error(`entry.json is unreadable (${(e as Error).message})`);
    }
    if (typeof sealed !== 'object' || sealed === null || Array.isArray(sealed))
      throw new Error('entry.json is not an entry');
    const { sha256: seal, ...entry } = sealed;
    if (seal !== sha(Buffer.from(JSON.stringify(entry), 'utf8')))
      throw new Error('entry.json does not match its checksum');
    if (entry.format !== FORMAT || entry.hash !== hash || typeof entry.files !== 'object' || entry.files === null)
      throw new Error('entry.json does not describe this entry');
    const cache = new Map<string, Uint8Array>();
    for (const [name, want] of Object.entries(entry.files)) {
      const bytes = readFileSync(join(dir, name));
      if (bytes.byteLength !== want.size)
        throw new Error(`${name} has ${bytes.byteLength} bytes, expected ${want.size}`);
      if (sha(bytes) !== want.sha256) throw new Error(`${name} does not match its checksum`);
      cache.set(name, bytes);
    }
    return decodeOutput(entry.value, (name) => {
      const b = cache.get(name);
      if (!b) throw new Error(`${name} is missing from the entry`);
      return b;
    });
  }

  put(hash: string, job: string, output: unknown): void {
    const dir = this.entryDir(hash);
    if (this.has(hash)) return;
    const { value, files } = encodeOutput(output);
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      const meta: EntryFile['files'] = {};
      for (const [name, bytes] of files) {
        writeEntryFile(join(tmp, name), bytes);
        meta[name] = { size: bytes.byteLength, sha256: sha(bytes) };
      }
      const entry: EntryFile = { format: FORMAT, hash, job, files: meta, value };
      const sealed: SealedEntry = { ...entry, sha256: sha(Buffer.from(JSON.stringify(entry), 'utf8')) };
      writeEntryFile(join(tmp, 'entry.json'), Buffer.from(JSON.stringify(sealed), 'utf8'));
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!this.has(hash)) throw e; // someone else published it first: theirs is as good
      }
    } catch (e) {
      throw namingPath(e, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Removes an entry: renamed aside first, so no half-deleted entry is ever seen as whole. */
  remove(hash: string): void {
    const dir = this.entryDir(hash);
    if (!existsSync(dir)) return;
    const trash = join(this.dir, `.trash-${hash.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      renameSync(dir, trash);
      rmSync(trash, { recursive: true, force: true });
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The hashes of the entries present. */
  list(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => HASH_RE.test(n))
      .sort();
  }

  /** Temporary and trash folders left by runs that were killed, older than `olderThanMs`. */
  leftovers(olderThanMs: number, now = Date.now()): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => n.startsWith('.tmp-') || n.startsWith('.trash-'))
      .filter((n) => {
        try {
          return now - statSync(join(this.dir, n)).mtimeMs > olderThanMs;
        } catch {
          return false;
        }
      })
      .map((n) => join(this.dir, n));
  }

  /** Bytes used by an entry. */
  size(hash: string): number {
    const walk = (p: string): number => {
      const st = lstatSync(p); // links are counted, never followed
      if (!st.isDirectory()) return st.size;
      return readdirSync(p).reduce((s, n) => s + walk(join(p, n)), 0);
    };
    try {
      return walk(this.entryDir(hash));
    } catch {
      return 0;
    }
  }
}
