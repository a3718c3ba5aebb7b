/**
 * The one way mia reads a file a user names (data files, model files and their weights, plugins): it
 * must be a regular file (symbolic links followed), not a folder, a device (/dev/zero), a named pipe or
 * a kernel interface (/proc, /sys), and no larger than a limit, all checked with stat before a byte is
 * read. The file is opened without blocking (a FIFO swapped in after the check cannot hang the open)
 * and checked again on the open descriptor, and at most the size stat gave is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statfsSync, statSync, type Stats } from 'node:fs';

/** The largest file mia reads, and the largest dataset it builds from one: 2 GB. */
export const FILE_LIMIT = 2 * 1024 ** 3;

/** A file a user named that mia will not read; the message names the file and says what to do. */
export class UserFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'UserFileError';
  }
}

/** statfs magic numbers of file systems that are kernel interfaces, not storage. */
const KERNEL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, '/proc'],
  [0x62656572, '/sys'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
]);

/** The kernel file system `path` lies on (e.g. "/proc"), or null. */
export function kernelFileSystem(path: string): string | null {
  try {
    return KERNEL_FILE_SYSTEMS.get(Number(statfsSync(path).type)) ?? null;
  } catch {
    return null;
  }
}

/** What a file that is not a regular file is, for messages: "a character device", "a named pipe", … */
export function specialKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Sizes in messages: "2 GB", "3.1 MB", "812 bytes". */
export function bytesText(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

export interface UserFileOptions {
  /** What the file is, for messages ("CSV file", "model file"). */
  what?: string;
  /** The most bytes it may hold (default FILE_LIMIT). */
  limit?: number;
  /** What to say when it is missing (default: check the path). */
  missing?: string;
}

/** Checks `st` (of `file`) is a regular file within the limit; throws a UserFileError saying why not. */
function requireReadable(file: string, st: Stats, o: UserFileOptions): void {
  const what = o.what ?? 'file';
  if (!st.isFile())
    throw new UserFileError(
      file,
      `This is ${specialKind(st)}, not a regular file; mia reads a ${what} only from a regular file.`,
    );
  const limit = o.limit ?? FILE_LIMIT;
  if (st.size > limit)
    throw new UserFileError(
      file,
      `The ${what} holds ${bytesText(st.size) === bytesText(limit) ? `${st.size.toLocaleString('en-US')} bytes` : bytesText(st.size)}, over the ${bytesText(limit)} limit of what mia reads; give a smaller file.`,
    );
}

/** Stats a file a user named, refusing what `readUserFile` refuses; returns its size. Reads nothing. */
export function checkUserFile(file: string, o: UserFileOptions = {}): number {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    throw new UserFileError(
      file,
      o.missing ?? `The ${o.what ?? 'file'} does not exist or cannot be read; check the path.`,
    );
  }
  requireReadable(file, st, o);
  const kernel = kernelFileSystem(file);
  if (kernel) throw new UserFileError(file, `This is a kernel interface under ${kernel}, not a ${o.what ?? 'file'}.`);
  return st.size;
}

/** The bytes of a file a user named: a regular file within the limit (checked before reading), read once. */
export function readUserFile(file: string, o: UserFileOptions = {}): Buffer {
  checkUserFile(file, o);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new UserFileError(file, o.missing ?? `The ${o.what ?? 'file'} cannot be read; check its permissions.`);
  }
  try {
    const st = fstatSync(fd);
    requireReadable(file, st, o);
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    for (let n = 1; got < st.size && n > 0; got += n) n = readSync(fd, buf, got, st.size - got, null);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}
