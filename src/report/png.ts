/**
 * A tiny PNG encoder for the report's record pictures: 8-bit grey or RGB pixels, one IDAT chunk,
 * deflated by node:zlib. The picture reaches the page as a data: URI (no file, no script).
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `height × width` pixels of `channels` (1 grey, 3 RGB) levels 0–255, row-major, channels last. */
export function encodePng(levels: ArrayLike<number>, width: number, height: number, channels: 1 | 3): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = channels === 1 ? 0 : 2; // colour type: grey or RGB
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++)
    for (let i = 0; i < stride; i++) {
      const v = Number(levels[y * stride + i]);
      raw[y * (stride + 1) + 1 + i] = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(v))) : 0;
    }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A data: URI of a record's picture, or null when its shape is no picture (not h × w × 1 or 3). */
export function pictureUri(features: readonly number[], shape: readonly number[]): string | null {
  const [h, w, c = 1] = shape;
  if (h === undefined || w === undefined || shape.length > 3 || (c !== 1 && c !== 3)) return null;
  if (features.length !== h * w * c) return null;
  return `data:image/png;base64,${encodePng(features, w, h, c).toString('base64')}`;
}
