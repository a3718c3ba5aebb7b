/**
 * NumPy's .npz (np.savez, np.savez_compressed): a zip of .npy files. Read from the zip's central
 * directory; every size is checked against the file and a total limit BEFORE anything is inflated, and
 * each member is inflated only up to the size the directory declares. A zip that is not what numpy
 * writes (encrypted, split, sizes out of the file, more than 1,000 members) is refused with one line.
 */
import { constants, inflateRawSync } from 'node:zlib';
import { npyByteLength } from './npy.js';

export class NpzError extends Error {}

/** The most members, and the most bytes all members may hold once inflated. */
const MAX_MEMBERS = 1000;
const MAX_TOTAL = 2 * 1024 ** 3;

interface Member {
  name: string;
  method: number;
  flags: number;
  packed: number;
  size: number;
  local: number;
}

/** The end-of-central-directory record: where the directory is and how many members it lists. */
function endRecord(buf: Buffer, file: string): { count: number; at: number; size: number } {
  const from = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    const count = buf.readUInt16LE(i + 10);
    const size = buf.readUInt32LE(i + 12);
    const at = buf.readUInt32LE(i + 16);
    if (at === 0xffffffff || count === 0xffff)
      throw new NpzError(`${file}: a zip64 archive over 4 GB, which mia does not read; save smaller arrays.`);
    if (at + size > i) throw new NpzError(`${file}: its zip directory lies outside the file; the file is damaged.`);
    return { count, at, size };
  }
  throw new NpzError(`${file}: not a zip archive (no end of directory); write it with numpy.savez.`);
}

/** The members the central directory lists, each checked to lie within the file. */
function directory(buf: Buffer, file: string): Member[] {
  const { count, at } = endRecord(buf, file);
  if (count > MAX_MEMBERS) throw new NpzError(`${file}: ${count} arrays, over the ${MAX_MEMBERS} mia reads.`);
  const out: Member[] = [];
  let p = at;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new NpzError(`${file}: its zip directory is damaged (entry ${k + 1}).`);
    const m: Member = {
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      packed: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      local: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, Math.min(buf.length, p + 46 + buf.readUInt16LE(p + 28))),
    };
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (m.flags & 1) throw new NpzError(`${file}: "${m.name}" is encrypted; save it with numpy.savez.`);
    if (m.method !== 0 && m.method !== 8)
      throw new NpzError(`${file}: "${m.name}" uses zip method ${m.method}; numpy writes stored or deflated members.`);
    if (m.local + 30 + m.packed > buf.length)
      throw new NpzError(`${file}: "${m.name}" claims bytes beyond the end of the file; the file is damaged.`);
    total += m.size;
    if (total > MAX_TOTAL) throw new NpzError(`${file}: its arrays hold over 2 GB once unpacked, over mia's limit.`);
    out.push(m);
  }
  return out;
}

const unpackError = (m: Member, file: string): NpzError =>
  new NpzError(`${file}: "${m.name}" cannot be unpacked to the ${m.size} bytes its directory declares.`);

/** The first bytes of a member, inflating at most `take` packed bytes (a deflate byte inflates to ≤ 1,032). */
function headOf(m: Member, packed: Buffer, take: number, file: string): Buffer {
  if (m.method === 0) return packed.subarray(0, take);
  try {
    const opts = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, m.size) };
    return inflateRawSync(packed.subarray(0, take), opts);
  } catch {
    throw unpackError(m, file);
  }
}

/**
 * A member's .npy header, read from its first bytes before the member is inflated: its dtype must be one
 * mia reads, its size within the limit and equal to the size the zip directory declares (a zip bomb, or a
 * member that is not one array, is refused having inflated a few kilobytes, not gigabytes).
 */
function checkHeader(m: Member, packed: Buffer, file: string): void {
  const name = `${file} (${m.name.replace(/\.npy$/, '')})`;
  for (const take of [64, 1024, 16_384]) {
    const head = headOf(m, packed, take, file);
    const whole = take >= packed.length;
    const need = npyByteLength(head, name);
    if (need === null && !whole) continue;
    if (need === null) return; // the whole member is in hand: parseNpy says what is wrong with it
    if (need !== m.size)
      throw new NpzError(
        `${file}: "${m.name}" is declared as ${m.size} bytes, but its .npy header describes ${need}; the file is damaged.`,
      );
    return;
  }
  throw new NpzError(`${file}: "${m.name}" has a .npy header over 16 MB; numpy writes headers of a few hundred bytes.`);
}

/** The .npy bytes of every member, by array name (`loss_train.npy` → `loss_train`). */
export function readNpz(buf: Buffer, file: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const m of directory(buf, file)) {
    if (buf.readUInt32LE(m.local) !== 0x04034b50)
      throw new NpzError(`${file}: "${m.name}" does not start where the directory says; the file is damaged.`);
    const start = m.local + 30 + buf.readUInt16LE(m.local + 26) + buf.readUInt16LE(m.local + 28);
    if (start + m.packed > buf.length) throw new NpzError(`${file}: "${m.name}" is cut short; the file is damaged.`);
    const packed = buf.subarray(start, start + m.packed);
    checkHeader(m, packed, file);
    let bytes: Buffer;
    try {
      bytes = m.method === 0 ? packed : inflateRawSync(packed, { maxOutputLength: Math.max(1, m.size) });
    } catch {
      throw unpackError(m, file);
    }
    if (bytes.length !== m.size)
      throw new NpzError(`${file}: "${m.name}" unpacks to ${bytes.length} bytes, not the ${m.size} declared.`);
    const name = m.name.replace(/\.npy$/, '');
    if (out.has(name)) throw new NpzError(`${file}: the array "${name}" is stored twice.`);
    out.set(name, bytes);
  }
  return out;
}
