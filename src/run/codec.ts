/**
 * A job's output as files, generic over plain data: numbers (non-finite ones too), strings, booleans,
 * null, arrays, objects, typed arrays and ArrayBuffers. A model (an object holding modelTopology,
 * weightSpecs and an ArrayBuffer weightData) is written in the tfjs format: model.json + weights.bin.
 * Other binary data goes into data.bin; the structure into the value of entry.json.
 */

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

const TYPED = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedName = keyof typeof TYPED;

export type Encoded = null | boolean | number | string | Encoded[] | { [k: string]: Encoded };

export interface EncodedOutput {
  value: Encoded;
  /** File name (relative to the entry folder) → bytes. */
  files: Map<string, Uint8Array>;
}

const isModel = (v: object): v is { modelTopology: object; weightSpecs: unknown[]; weightData: ArrayBuffer } => {
  const o = v as Record<string, unknown>;
  return (
    typeof o.modelTopology === 'object' &&
    o.modelTopology !== null &&
    Array.isArray(o.weightSpecs) &&
    o.weightData instanceof ArrayBuffer
  );
};

const typedName = (v: ArrayBufferView): TypedName | null => {
  for (const k of Object.keys(TYPED) as TypedName[]) if (v instanceof TYPED[k]) return k;
  return null;
};

export function encodeOutput(root: unknown): EncodedOutput {
  const data = new DataBin();
  const files = new Map<string, Uint8Array>();
  let models = 0;
  const enc = (v: unknown): Encoded => {
    if (v === null || v === undefined) return null;
    // JSON has no NaN, ±Infinity or −0: they are written as strings ({ $num: '-0' } keeps the sign of a zero).
    if (typeof v === 'number')
      return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: Object.is(v, -0) ? '-0' : String(v) };
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map(enc);
    if (v instanceof ArrayBuffer) return { $buffer: data.add(new Uint8Array(v)), byteLength: v.byteLength };
    if (ArrayBuffer.isView(v)) {
      const name = typedName(v);
      if (!name) throw new Error(`Cannot store a ${v.constructor.name} in the cache.`);
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return { $typed: name, offset: data.add(bytes), length: (v as TypedArray).length };
    }
    if (typeof v === 'object') {
      if (isModel(v)) {
        const dir = `model-${models++}`;
        return { $tfjs: dir, rest: enc(writeModel(v, dir, files)) };
      }
      const o = v as Record<string, unknown>;
      const out: Record<string, Encoded> = {};
      for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = enc(o[k]);
      return Object.keys(o).some((k) => k.startsWith('$')) ? { $obj: out } : out;
    }
    throw new Error(`Cannot store a ${typeof v} in the cache.`);
  };
  const value = enc(root);
  if (data.size > 0) files.set('data.bin', data.bytes());
  return { value, files };
}

/** The bytes of data.bin: arrays one after another, each at an offset that is a multiple of 8. */
class DataBin {
  private readonly chunks: Uint8Array[] = [];
  size = 0;

  /** Appends `bytes` (after padding to a multiple of 8) and returns their offset. */
  add(bytes: Uint8Array): number {
    const pad = (8 - (this.size % 8)) % 8;
    if (pad) {
      this.chunks.push(new Uint8Array(pad));
      this.size += pad;
    }
    const off = this.size;
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    return off;
  }

  bytes(): Uint8Array {
    const data = new Uint8Array(this.size);
    let off = 0;
    for (const c of this.chunks) {
      data.set(c, off);
      off += c.byteLength;
    }
    return data;
  }
}

/** Writes a model's model.json and weights.bin into `dir` of `files`; returns its other fields. */
function writeModel(
  v: { modelTopology: object; weightSpecs: unknown[]; weightData: ArrayBuffer },
  dir: string,
  files: Map<string, Uint8Array>,
): Record<string, unknown> {
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'mia',
    modelTopology: v.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: v.weightSpecs }],
  };
  files.set(`${dir}/model.json`, Buffer.from(JSON.stringify(modelJson), 'utf8'));
  files.set(`${dir}/weights.bin`, new Uint8Array(v.weightData));
  const rest: Record<string, unknown> = { ...v };
  delete rest.modelTopology;
  delete rest.weightSpecs;
  delete rest.weightData;
  return rest;
}

export class DecodeError extends Error {}

export function decodeOutput(value: Encoded, readFile: (name: string) => Uint8Array): unknown {
  let data: Uint8Array | null = null;
  const dataBin = (): Uint8Array => (data ??= readFile('data.bin'));
  const slice = (off: number, len: number): ArrayBuffer => {
    if (len === 0) return new ArrayBuffer(0);
    const d = dataBin();
    if (off < 0 || off + len > d.byteLength) throw new DecodeError('A stored array lies outside data.bin.');
    return d.buffer.slice(d.byteOffset + off, d.byteOffset + off + len) as ArrayBuffer;
  };
  const dec = (v: Encoded): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(dec);
    if (typeof v.$num === 'string') return Number(v.$num);
    if (typeof v.$buffer === 'number' && typeof v.byteLength === 'number') return slice(v.$buffer, v.byteLength);
    if (typeof v.$typed === 'string' && typeof v.offset === 'number' && typeof v.length === 'number') {
      const C = TYPED[v.$typed as TypedName];
      if (!C) throw new DecodeError(`Unknown array type ${v.$typed}.`);
      return new C(slice(v.offset, v.length * C.BYTES_PER_ELEMENT));
    }
    if (typeof v.$tfjs === 'string') {
      const mj = JSON.parse(Buffer.from(readFile(`${v.$tfjs}/model.json`)).toString('utf8')) as {
        modelTopology: object;
        weightsManifest: { weights: unknown[] }[];
      };
      const w = readFile(`${v.$tfjs}/weights.bin`);
      const rest = dec(v.rest ?? {}) as Record<string, unknown>;
      return {
        ...rest,
        modelTopology: mj.modelTopology,
        weightSpecs: mj.weightsManifest.flatMap((m) => m.weights),
        weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength),
      };
    }
    const inner = (
      v.$obj !== undefined && v.$obj !== null && typeof v.$obj === 'object' && !Array.isArray(v.$obj) ? v.$obj : v
    ) as Record<string, Encoded>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(inner)) out[k] = dec(inner[k]!);
    return out;
  };
  return dec(value);
}

/** The ArrayBuffers inside a value: a worker transfers them instead of copying. */
export function transferables(root: unknown): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    if (v instanceof ArrayBuffer) {
      seen.add(v);
      return;
    }
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) seen.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach(walk);
      return;
    }
    for (const x of Object.values(v as Record<string, unknown>)) walk(x);
  };
  walk(root);
  return [...seen];
}
