/**
 * Hostile variants of the arrays `mia attack --signals` reads (.npy named by a JSON file, .npz members) and
 * the .npy masks and datasets read through the same parser: headers that claim 10^12 values or 100,000
 * axes, dimensions past 2^53, Fortran order on three axes, zip members whose .npy header disagrees with the
 * zip directory (a 1 GB "bomb" of zeros behind a header that is not .npy), names that carry a line break.
 * numpy writes every file here (one python call); each refusal is one line, a UserError, exit 1, no trace.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSignalsFile } from '../../src/api/signals-file.js';
import { parseNpy } from '../../src/data/index.js';
import { tempDir } from '../data/formats/helpers.js';
import { bin, runAsync } from '../e2e/helpers.js';

let dir = '';
const PY = String.raw`
import io, struct, sys, zipfile, zlib, numpy as np
d = sys.argv[1]
def npy(a):
    b = io.BytesIO(); np.save(b, a); return b.getvalue()
def raw(header, data=b'', ver=1):
    h = header.encode('latin1'); h = h + b' ' * ((64 - (10 + len(h) + 1) % 64) % 64) + b'\n'
    pre = b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h)) if ver == 1 else b'\x93NUMPY\x02\x00' + struct.pack('<I', len(h))
    return pre + h + data
def put(name, b): open(d + '/' + name, 'wb').write(b)
m = np.array([1, 1, 0, 0]); loss = np.array([0.1, 0.2, 0.3, 0.4])
put('huge.npy', raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"))
put('past53.npy', raw("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 1000000000000000000000), }"))
put('axes.npy', raw("{'descr': '<f8', 'fortran_order': False, 'shape': (" + '1,' * 100000 + "), }", struct.pack('<d', 1), 2))
a3 = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
put('f3.npy', npy(np.asfortranarray(a3)))
put('c3.npy', npy(a3))
with zipfile.ZipFile(d + '/huge.npz', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('member.npy', npy(m)); z.writestr('target_loss.npy', raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"))
with zipfile.ZipFile(d + '/newline.npz', 'w') as z:
    z.writestr('member\nmia: all good.npy', npy(m)); z.writestr('target_loss.npy', npy(loss))
rng = np.random.default_rng(0)
np.savez_compressed(d + '/big.npz', member=(rng.random(100000) < 0.5).astype(np.int64), target_loss=rng.random(100000))
# A member of 1 GB of zeros (1 MB packed) that is no .npy, and one whose header says 4 values where the zip says 1 GB.
co = zlib.compressobj(9, zlib.DEFLATED, -15); mb = b'\0' * (1 << 20)
zeros = b''.join([co.compress(mb) for _ in range(1024)] + [co.flush()])
def zipraw(name, entries):
    out = b''; cd = b''
    for n, (packed, size) in entries:
        nb = n.encode(); loc = len(out)
        out += struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 8, 0, 0, 0, len(packed), size, len(nb), 0) + nb + packed
        cd += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, 0, 8, 0, 0, 0, len(packed), size, len(nb), 0, 0, 0, 0, 0, loc) + nb
    put(name, out + cd + struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(entries), len(entries), len(cd), len(out), 0))
zipraw('bomb.npz', [('member.npy', (zeros, 1 << 30))])
co = zlib.compressobj(9, zlib.DEFLATED, -15)
liar = co.compress(npy(m)) + co.compress(b'\0' * (1 << 24)) + co.flush()
zipraw('liar.npz', [('member.npy', (liar, 1 << 30))])
`;

beforeAll(() => {
  dir = tempDir();
  execFileSync('/usr/bin/python3', ['-c', PY, dir]);
}, 60_000);

/** What readSignalsFile says of `file`: the message of the UserError it must throw. */
function refusal(file: string): string {
  try {
    readSignalsFile(join(dir, file));
  } catch (e) {
    expect((e as Error).constructor.name).toBe('UserError');
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error(`${file} was read`);
}

describe('hostile .npy headers', () => {
  const viaJson = (npyName: string): string => {
    const f = `${npyName}.json`;
    writeFileSync(join(dir, f), JSON.stringify({ member: [1, 0], target: { loss: npyName } }));
    return f;
  };
  const cases: [string, string, RegExp][] = [
    ['a header claiming 10^12 values', 'huge.npy', /huge\.npy: The dataset would hold 1,000,000,000,000 records/],
    [
      'a dimension past 2^53 beside a 0',
      'past53.npy',
      /past53\.npy: The \.npy shape \(0, 1000000000000000000000\) is malformed/,
    ],
    ['100,000 axes', 'axes.npy', /axes\.npy: The array has 100000 axes; numpy writes at most 64/],
  ];
  it.each(cases)('refuses %s (named by a JSON signals file) in one line', (_what, file, message) => {
    expect(refusal(viaJson(file))).toMatch(message);
  });

  it('reads a Fortran-order array of three axes as its C-order twin', () => {
    const f = parseNpy(execFileSync('cat', [join(dir, 'f3.npy')]), 'f3.npy');
    const c = parseNpy(execFileSync('cat', [join(dir, 'c3.npy')]), 'c3.npy');
    expect(f.fortran).toBe(true);
    expect(f.shape).toEqual([2, 3, 4]);
    expect(Array.from(f.data)).toEqual(Array.from(c.data));
  });
});

describe('hostile .npz members', () => {
  it('refuses a member whose header claims 10^12 values, before inflating it', () => {
    expect(refusal('huge.npz')).toMatch(/huge\.npz \(target_loss\): The dataset would hold 1,000,000,000,000 records/);
  });

  it('reads savez_compressed arrays of 100,000 values (header checked from the first packed bytes)', () => {
    const s = readSignalsFile(join(dir, 'big.npz'));
    expect(s.member).toHaveLength(100_000);
  });

  it('refuses a 1 GB member that is not .npy, or whose header disagrees with the zip, having inflated kilobytes', () => {
    global.gc?.();
    const before = process.memoryUsage();
    expect(refusal('bomb.npz')).toMatch(/bomb\.npz \(member\): This is not a \.npy file/);
    expect(refusal('liar.npz')).toMatch(
      /liar\.npz: "member\.npy" is declared as 1073741824 bytes, but its \.npy header describes 160; the file is damaged/,
    );
    const after = process.memoryUsage();
    // inflating the members whole would add a gigabyte of buffers
    expect(after.arrayBuffers + after.external - (before.arrayBuffers + before.external)).toBeLessThan(64 * 1024 ** 2);
  });

  it('mia attack: a member name with a line break stays on the one line of the error, exit 1', async () => {
    const r = await runAsync(process.execPath, [
      bin,
      'attack',
      '--signals',
      join(dir, 'newline.npz'),
      '--out',
      join(dir, 'o'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mia: .*newline\.npz holds an array "member\\nmia: all good" mia does not know/),
    ]);
  }, 20_000);
});
