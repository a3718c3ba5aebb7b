/**
 * The places a command reads and writes, checked before any work: a spec must be a regular file, an
 * output or cache folder a folder that can be written. Special files (/dev/zero, a FIFO) and kernel
 * file systems (/proc, /sys) are refused with a message: read, they never end; under them, a
 * recursive mkdir spins forever.
 */
import { mkdirSync, mkdtempSync, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { kernelFileSystem, specialKind } from '../util/user-file.js';
import { UsageError, UserError } from './errors.js';

export { kernelFileSystem };

/** Refuses a spec (or signals file) that is missing, a folder, a special file or a kernel interface. */
export function requireRegularFile(file: string, what = '.mia'): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`No such file: ${file}`);
  }
  if (st.isDirectory()) throw new UsageError(`${file} is a folder; give a ${what} file.`);
  if (!st.isFile()) throw new UsageError(`${file} is ${specialKind(st)}, not a regular file; give a ${what} file.`);
  const kernel = kernelFileSystem(file);
  if (kernel) throw new UsageError(`${file} is a kernel interface under ${kernel}, not a file; give a ${what} file.`);
}

/** How a folder is named in messages: "The output folder" and the option that sets it. */
export interface FolderRole {
  what: string;
  option: string;
}

/**
 * Makes `dir` (and its missing parents, one at a time) and proves it can be written by creating and
 * removing a probe folder in it. Every problem is a user error naming the folder and the option.
 */
export function requireWritableFolder(dir: string, role: FolderRole): void {
  const where = `${role.what} ${dir}`;
  const missing: string[] = [];
  let p = resolve(dir);
  let st: Stats | null = null;
  while (st === null) {
    try {
      st = statSync(p);
    } catch (e) {
      const up = dirname(p);
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || up === p) throw cannotWrite(where, role, e);
      missing.unshift(p);
      p = up;
    }
  }
  if (!st.isDirectory())
    throw new UserError(
      missing.length === 0
        ? `${where} is a file. Give ${role.option} a folder.`
        : `${where} cannot be made: ${p} is a file. Give ${role.option} a folder.`,
    );
  const kernel = kernelFileSystem(p);
  if (kernel)
    throw new UserError(
      `${where} is under ${kernel}, a kernel interface, not storage. Give ${role.option} a folder on a disk.`,
    );
  try {
    for (const m of missing) mkdirSync(m, { recursive: true }); // made meanwhile by another process: fine
    rmdirSync(mkdtempSync(join(resolve(dir), '.mia-probe-')));
  } catch (e) {
    throw cannotWrite(where, role, e);
  }
}

const cannotWrite = (where: string, role: FolderRole, e: unknown): UserError =>
  new UserError(
    `${where} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Give ${role.option} a folder you can write to.`,
  );
