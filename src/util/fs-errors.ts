/**
 * File-system errors a user can cause (an unwritable --out, a file where a folder should be, a full disk),
 * said plainly in one line naming the path and what to do.
 */

const FS_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large for the file system',
};

const FULL = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** The sentence for a file-system error a user can cause; null for anything else (a bug, or no path known). */
export function fileSystemProblem(e: unknown): string | null {
  if (!(e instanceof Error)) return null;
  const { code, path, syscall } = e as NodeJS.ErrnoException;
  if (!code || !(code in FS_CODES) || !path) return null;
  if (FULL.has(code))
    return `${FS_CODES[code]} writing ${path} (${code}); free some space, or pass --out (or --cache) to write elsewhere.`;
  const verb =
    syscall === 'open' || syscall === 'rename' || syscall === 'mkdir' || syscall === 'write'
      ? 'cannot write'
      : 'cannot use';
  return `${verb} ${path}: ${FS_CODES[code]} (${code}). Choose another path, or fix its permissions.`;
}

/** `e` with the path the user asked for (not a temporary file's, nor none, as write(2)'s errors have). */
export function namingPath(e: unknown, path: string, syscall = 'write'): unknown {
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') Object.assign(e, { path, syscall });
  return e;
}
