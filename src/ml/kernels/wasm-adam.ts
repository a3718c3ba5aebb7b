/**
 * Adam's update as a WebAssembly SIMD loop over the wasm backend's own memory: a module of one function,
 * assembled here (about 200 bytes), that imports the backend's WebAssembly.Memory and updates weights,
 * first and second moments in place, four float32 lanes at a time, with the operations of tf.train.adam
 * in its order (f32x4 add, mul, div and sqrt round as the backend's float32 kernels do):
 *   m ← m·β₁ + g·(1−β₁);  v ← v·β₂ + (g·g)·(1−β₂);  w ← ((m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε))·(−rate) + w.
 * Pointers are byte offsets into the backend's heap; `bytes` is a multiple of 16 (the caller does the tail).
 */
import { leb } from './wasm-asm.js';

/** The parts of the WebAssembly JavaScript API used here (this project's TypeScript lib does not declare them). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type AdamSimd = (
  w: number,
  g: number,
  m: number,
  v: number,
  bytes: number,
  b1: number,
  b2: number,
  c1: number,
  c2: number,
  om1: number,
  om2: number,
  eps: number,
  negRate: number,
) => void;

// parameters 0..12 as in AdamSimd; locals: 13 = byte offset i, 14 = g, 15 = new m, 16 = new v
const [W, G, M, V, N, B1, B2, C1, C2, OM1, OM2, EPS, NLR, I, GV, MV, VV] = Array.from({ length: 17 }, (_, k) => k) as [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];
const get = (x: number) => [0x20, x];
const set = (x: number) => [0x21, x];
const simd = (op: number) => (op < 0x80 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
const load = [...simd(0x00), 4, 0];
const store = [...simd(0x0b), 4, 0];
const splat = (x: number) => [...get(x), ...simd(0x13)];
const [sqrt, add, mul, div] = [0xe3, 0xe4, 0xe6, 0xe7].map(simd) as [number[], number[], number[], number[]];
const at = (base: number) => [...get(base), ...get(I), 0x6a]; // base + i

const body = [
  ...[0x02, 0x01, 0x7f, 0x03, 0x7b], // locals: 1 i32, 3 v128
  ...[0x02, 0x40, 0x03, 0x40], // block, loop
  ...[...get(I), ...get(N), 0x4f, 0x0d, 0x01], // i >= bytes: break
  ...[...at(G), ...load, ...set(GV)],
  ...[...at(M), ...load, ...splat(B1), ...mul, ...get(GV), ...splat(C1), ...mul, ...add, ...set(MV)],
  ...[...at(M), ...get(MV), ...store],
  ...[
    ...at(V),
    ...load,
    ...splat(B2),
    ...mul,
    ...get(GV),
    ...get(GV),
    ...mul,
    ...splat(C2),
    ...mul,
    ...add,
    ...set(VV),
  ],
  ...[...at(V), ...get(VV), ...store],
  ...at(W),
  ...[...get(MV), ...splat(OM1), ...div],
  ...[...get(VV), ...splat(OM2), ...div, ...sqrt, ...splat(EPS), ...add],
  ...[...div, ...splat(NLR), ...mul, ...at(W), ...load, ...add, ...store],
  ...[...get(I), 0x41, 0x10, 0x6a, ...set(I)], // i += 16
  ...[0x0c, 0x00, 0x0b, 0x0b, 0x0b], // br loop; end loop, block, function
];

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

const moduleBytes = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [1, 0x60, 13, ...Array(5).fill(0x7f), ...Array(8).fill(0x7d), 0]),
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('adam'), 0x00, 0x00]),
  ...section(10, [1, ...leb(body.length), ...body]),
]);

/** The SIMD update bound to `memory`, or null where this WebAssembly has no SIMD. */
export function adamSimd(memory: WasmMemory): AdamSimd | null {
  if (!WA.validate(moduleBytes)) return null;
  const instance = new WA.Instance(new WA.Module(moduleBytes), { env: { memory } });
  return instance.exports.adam as AdamSimd;
}
