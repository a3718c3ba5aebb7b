/**
 * A few helpers to write a WebAssembly module's bytes by hand (for the small SIMD kernels of this folder):
 * instructions as byte arrays, and a module of functions that import one memory, `env.memory`.
 */

/** The parts of the WebAssembly JavaScript API used here (this project's TypeScript lib does not declare them). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

export const get = (x: number) => [0x20, x];
export const set = (x: number) => [0x21, x];
export const tee = (x: number) => [0x22, x];
export const simd = (op: number) => (op < 0x80 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
/** A memory operand: log2 of the alignment, then the offset. */
export const mem = (align: number, offset: number) => [align, ...leb(offset)];
export const i32 = (n: number) => [0x41, ...sleb(n)];
export const f32Zero = [0x43, 0, 0, 0, 0];
export const v128Zero = [...simd(0x0c), ...Array(16).fill(0)];
export const op = {
  addI: [0x6a],
  mulI: [0x6c],
  shlI: [0x74],
  orI: [0x72],
  eqzI: [0x45],
  geU: [0x4f],
  i32Load: [0x28],
  i32Store: [0x36],
  f32Load: [0x2a],
  f32Store: [0x38],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Ne: [0x5c],
  f32Gt: [0x5e],
  select: [0x1b],
  v128Load: simd(0x00),
  v128Store: simd(0x0b),
  v128And: simd(0x4e),
  f32x4Splat: simd(0x13),
  f32x4Gt: simd(0x44),
  f32x4Add: simd(0xe4),
  f32x4Mul: simd(0xe6),
};
/** x ← x + by (i32). */
export const inc = (x: number, by: number[]) => [...get(x), ...by, ...op.addI, ...set(x)];
/** A block and loop that end once local `x` ≥ local `limit` (unsigned), `body` in between. */
export const loopWhileBelow = (x: number, limit: number, body: number[]) => [
  ...[0x02, 0x40, 0x03, 0x40],
  ...[...get(x), ...get(limit), ...op.geU, 0x0d, 0x01],
  ...body,
  ...[0x0c, 0x00, 0x0b, 0x0b],
];
/** `then` where the i32 on the stack is not 0. */
export const ifThen = (then: number[]) => [0x04, 0x40, ...then, 0x0b];

export interface WasmFunction {
  name: string;
  /** The number of i32 parameters (all parameters are i32; no result). */
  params: number;
  /** Local declarations then code, without the final `end`. */
  body: number[];
}

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

/** The module's bytes: one type per function, the memory imported as env.memory, every function exported. */
export function moduleOf(functions: WasmFunction[]): Uint8Array {
  const n = functions.length;
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [n, ...functions.flatMap((f) => [0x60, f.params, ...Array(f.params).fill(0x7f), 0])]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
    ...section(3, [n, ...functions.map((_, i) => i)]),
    ...section(7, [n, ...functions.flatMap((f, i) => [...name(f.name), 0x00, i])]),
    ...section(10, [n, ...functions.flatMap((f) => [...leb(f.body.length + 1), ...f.body, 0x0b])]),
  ]);
}

/** The module's exports, instantiated over `memory`, or null where this WebAssembly rejects it (no SIMD). */
export function instantiate(bytes: Uint8Array, memory: object): Record<string, unknown> | null {
  if (!WA.validate(bytes)) return null;
  return new WA.Instance(new WA.Module(bytes), { env: { memory } }).exports;
}
