/** Atomic file writes: a temp file beside the target, flushed, then renamed over it. */
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { namingPath } from './fs-errors.js';

/**
 * Writes `data` to `path` atomically. An existing file keeps its permissions, and a symbolic link is
 * written through (its target is replaced, the link stays a link). On any failure (a full disk midway
 * included) the temporary file is removed, `path` is as it was, and the error names `path`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  let mode: number | null = null;
  if (existsSync(path)) {
    path = realpathSync(path);
    mode = statSync(path).mode & 0o7777;
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (mode !== null) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw namingPath(e, path);
  }
}
