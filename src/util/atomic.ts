/** Atomic file writes: a temp file beside the target, flushed, then renamed over it. */
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { namingPath } from './fs-errors.js';

/**
 * Where an atomic write of `path` goes: the file itself (a symbolic link resolved, so the link stays a link), the
 * permissions an existing file keeps, and a temp file beside it (its folder made).
 */
function destination(path: string): { path: string; mode: number | null; tmp: string } {
  const exists = existsSync(path);
  const real = exists ? realpathSync(path) : path;
  const mode = exists ? statSync(real).mode & 0o7777 : null;
  mkdirSync(dirname(real), { recursive: true });
  return { path: real, mode, tmp: tempName(real) };
}

/**
 * Writes `data` to `target` (as `path` once a link is resolved) atomically. An existing file keeps its permissions, and a symbolic link is
 * written through (its target is replaced, the link stays a link). On any failure (a full disk midway
 * included) the temporary file is removed, `path` is as it was, and the error names `path`.
 */
export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const { path, mode, tmp } = destination(target);
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

/**
 * Temp files of writes under way. A Ctrl-C or TERM during writeFileAtomicAsync removes them and then lets
 * the signal do what it would have done; `exit` removes them too. A write killed outright (SIGKILL, a crash)
 * leaves its temp file for sweepStaleTemps.
 */
const inFlight = new Set<string>();
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function removeInFlight(): void {
  for (const tmp of inFlight) rmSync(tmp, { force: true });
  inFlight.clear();
}

function onStopSignal(signal: NodeJS.Signals): void {
  removeInFlight();
  release();
  // Others listening (a run's own stop handler) decide; alone, the signal takes its default course.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hold(tmp: string): void {
  if (inFlight.size === 0) {
    // First in line: a run's own `once` handler is removed as it is called, so were it called first, this one would
    // see no other listener and stop the process by the signal's default (a stopped run would die, not exit 130).
    for (const s of STOP_SIGNALS) process.prependListener(s, onStopSignal);
    process.on('exit', removeInFlight);
  }
  inFlight.add(tmp);
}

function release(tmp?: string): void {
  if (tmp !== undefined) inFlight.delete(tmp);
  if (inFlight.size > 0) return;
  for (const s of STOP_SIGNALS) process.off(s, onStopSignal);
  process.off('exit', removeInFlight);
}

const tempName = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);

/** MIA_WRITE_DELAY_MS (tests only): a pause between 1 MiB chunks, so that a test can stop a write midway. */
const chunkDelay = (): number => Math.max(0, Math.min(10_000, Number(process.env.MIA_WRITE_DELAY_MS) || 0));

/**
 * writeFileAtomic for large files (results.json, report.html): written in chunks with the event loop
 * running, so that Ctrl-C or TERM midway removes the temp file before the process stops.
 */
export async function writeFileAtomicAsync(target: string, data: string | Uint8Array): Promise<void> {
  const { path, mode, tmp } = destination(target);
  hold(tmp);
  try {
    const fh = await open(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const delay = chunkDelay();
      for (let off = 0; off < buf.length; ) {
        off += (await fh.write(buf, off, Math.min(CHUNK, buf.length - off))).bytesWritten;
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (!inFlight.has(tmp)) throw new Error(`The write of ${path} was stopped.`);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (mode !== null) chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw namingPath(e, path);
  } finally {
    release(tmp);
  }
}

const CHUNK = 1 << 20;

/** Whether a process with this id is running (one we may not signal still runs). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files an earlier writer of `name` in `dir` left when it was killed midway
 * (`.name.<pid>.<hex>.tmp` of a process no longer running). Returns the names removed.
 */
export function sweepStaleTemps(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  const prefix = `.${name}.`;
  const removed: string[] = [];
  for (const f of readdirSync(dir)) {
    const m = f.startsWith(prefix) ? /^(\d+)\.[0-9a-f]+\.tmp$/.exec(f.slice(prefix.length)) : null;
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid ? inFlight.has(join(dir, f)) : alive(pid)) continue;
    rmSync(join(dir, f), { force: true });
    removed.push(f);
  }
  return removed;
}
