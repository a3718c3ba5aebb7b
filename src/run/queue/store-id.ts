/**
 * A store's identity: a random id kept in `<store>/.mia-store-id`, made once by whoever uses the store
 * first (written beside it and linked into place, so a reader never sees half of it). The queue's name
 * carries it, so a job goes only to workers that read and write the store its coordinator reads: a
 * worker on another store would not find the job's inputs, nor would the coordinator find its output.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = '.mia-store-id';
const ID_RE = /^[0-9a-f]{16}$/;

export function storeId(dir: string): string {
  const path = join(dir, FILE);
  const read = (): string | null => {
    try {
      const id = readFileSync(path, 'utf8').trim();
      if (!ID_RE.test(id)) throw new Error(`${path} does not hold a store id; remove it and start again.`);
      return id;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  };
  const known = read();
  if (known) return known;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.tmp-store-id-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, `${randomBytes(8).toString('hex')}\n`);
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first: theirs holds
  } finally {
    rmSync(tmp, { force: true });
  }
  return read()!;
}

/** The queue of one store. */
export const queueName = (id: string): string => `mia-jobs-${id}`;
