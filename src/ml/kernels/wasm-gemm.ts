/**
 * A matrix product as WebAssembly SIMD over the wasm backend's own memory, for the dense layers' products
 * without XNNPACK: XNNPACK packs the weight operand into its own layout once per tensor id, and the fused
 * Adam (which updates weights in place under a new id) makes it pack the weights again on every step.
 * Here B is read as it lies, row-major, so nothing is packed. A module of three functions, assembled
 * here (about 600 bytes), importing the backend's WebAssembly.Memory:
 *   C[i, 0..w) = init[0..w) + Σₖ A[i, k] · B[k, 0..w)   for each row i < m,
 * w = 32 (gemm8: eight f32x4 accumulators), 4 (gemm1) or 1 (gemms, scalar). Each sum runs over k in
 * order, one float32 product and one float32 sum per term, as XNNPACK's f32 GEMM micro-kernels do, from
 * `init` (the bias, or zeros) — so the result is bit-identical to the backend's BatchMatMul and
 * _FusedMatMul. A term whose A[i, k] is 0 is skipped when `skip` is 1: a sum that starts at +0 never
 * becomes −0, so adding ±0 changes nothing (for finite B), and a sparse input (MNIST's pixels, binary
 * features) costs only its non-zeros. A is read through byte strides (sai between rows, sak between terms:
 * a transposed A costs nothing); B and C through row strides in bytes (ldb, ldc); pointers are byte offsets.
 */
import type { WasmMemory } from './wasm-adam.js';

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** (a, sai, sak, m, k, ldb, terms, rows, skip): A (m×k) as lists of terms, see the module comment. */
export type Compress = (
  a: number,
  sai: number,
  sak: number,
  m: number,
  k: number,
  ldb: number,
  terms: number,
  rows: number,
  skip: number,
) => void;
/** (rows, b, c, ldc, m, init): C[i, 0..w) = init + the terms of row i times their rows of B. */
export type GemmBlock = (rows: number, b: number, c: number, ldc: number, m: number, init: number) => void;

export interface Gemm {
  compress: Compress;
  gemm8: GemmBlock;
  gemm1: GemmBlock;
  gemms: GemmBlock;
}

const get = (x: number) => [0x20, x];
const set = (x: number) => [0x21, x];
const simd = (op: number) => (op < 0x80 ? [0xfd, op] : [0xfd, (op & 0x7f) | 0x80, op >> 7]);
const mem = (align: number, offset: number) => [align, ...leb(offset)];
const [addI, mulI, geU, i32Load, i32Store, f32Load, f32Store] = [
  [0x6a],
  [0x6c],
  [0x4f],
  [0x28],
  [0x36],
  [0x2a],
  [0x38],
];
const i32 = (n: number) => [0x41, ...sleb(n)];
const inc = (x: number, by: number[]) => [...get(x), ...by, ...addI, ...set(x)];
/** block + loop that ends when local `x` >= local `limit`; `body` runs in between; ends both. */
const loopWhileBelow = (x: number, limit: number, body: number[]) => [
  ...[0x02, 0x40, 0x03, 0x40],
  ...[...get(x), ...get(limit), ...geU, 0x0d, 0x01],
  ...body,
  ...[0x0c, 0x00, 0x0b, 0x0b],
];

function leb(n: number): number[] {
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

/** compress: for each row i, rows[i] = where its terms start; a term is (A[i, k] as f32, k·ldb as i32). */
function compressBody(): number[] {
  const [a, sai, sak, m, k, ldb, terms, rows, skip] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, kk, ap, t, av] = [9, 10, 11, 12, 13];
  return [
    ...[2, 4, 0x7f, 1, 0x7d], // locals: 4 i32, 1 f32
    ...[...get(terms), ...set(t)],
    ...loopWhileBelow(i, m, [
      ...[...get(rows), ...get(i), ...i32(4), ...mulI, ...addI, ...get(t), ...i32Store, ...mem(2, 0)],
      ...[...get(a), ...get(i), ...get(sai), ...mulI, ...addI, ...set(ap), ...i32(0), ...set(kk)],
      ...loopWhileBelow(kk, k, [
        ...[...get(t), ...get(ap), ...f32Load, ...mem(2, 0), 0x22, av, ...f32Store, ...mem(2, 0)],
        ...[...get(t), ...get(kk), ...get(ldb), ...mulI, ...i32Store, ...mem(2, 4)],
        // t += 8 · (av != 0 | !skip)
        ...[
          ...get(t),
          ...get(av),
          0x43,
          0,
          0,
          0,
          0,
          0x5c,
          ...get(skip),
          0x45,
          0x72,
          ...i32(3),
          0x74,
          ...addI,
          ...set(t),
        ],
        ...inc(ap, get(sak)),
        ...inc(kk, i32(1)),
      ]),
      ...inc(i, i32(1)),
    ]),
    ...[...get(rows), ...get(m), ...i32(4), ...mulI, ...addI, ...get(t), ...i32Store, ...mem(2, 0)],
    0x0b,
  ];
}

/** A block function of `u` f32x4 accumulators, or of one f32 accumulator where `u` is 0. */
function gemmBody(u: number): number[] {
  const [rows, b, c, ldc, m, init] = [0, 1, 2, 3, 4, 5];
  const [i, p, end, bp, cp, s, acc] = [6, 7, 8, 9, 10, 11, 12];
  const vector = u > 0;
  const accs = Array.from({ length: Math.max(u, 1) }, (_, j) => acc + j);
  const width = vector ? 16 : 4; // bytes per accumulator
  const [load, store, mul, add] = vector
    ? [simd(0x00), simd(0x0b), simd(0xe6), simd(0xe4)]
    : [f32Load, f32Store, [0x94], [0x92]];
  const align = vector ? 4 : 2;
  const term = (x: number, j: number) => [
    ...get(x),
    ...get(s),
    ...get(bp),
    ...load,
    ...mem(align, j * width),
    ...mul,
    ...add,
    ...set(x),
  ];
  return [
    ...[2, 5, 0x7f, 1 + accs.length, vector ? 0x7b : 0x7d], // locals: 5 i32; the splat and accumulators
    ...loopWhileBelow(i, m, [
      ...accs.flatMap((x, j) => [...get(init), ...load, ...mem(align, j * width), ...set(x)]),
      ...[...get(rows), ...get(i), ...i32(4), ...mulI, ...addI, ...set(cp)],
      ...[...get(cp), ...i32Load, ...mem(2, 0), ...set(p), ...get(cp), ...i32Load, ...mem(2, 4), ...set(end)],
      ...loopWhileBelow(p, end, [
        ...[...get(p), ...f32Load, ...mem(2, 0), ...(vector ? simd(0x13) : []), ...set(s)],
        ...[...get(b), ...get(p), ...i32Load, ...mem(2, 4), ...addI, ...set(bp)],
        ...accs.flatMap(term),
        ...inc(p, i32(8)),
      ]),
      ...[...get(c), ...get(i), ...get(ldc), ...mulI, ...addI, ...set(cp)],
      ...accs.flatMap((x, j) => [...get(cp), ...get(x), ...store, ...mem(align, j * width)]),
      ...inc(i, i32(1)),
    ]),
    0x0b,
  ];
}

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const NAMES = ['compress', 'gemm8', 'gemm1', 'gemms'] as const;
const bodies = [compressBody(), gemmBody(8), gemmBody(1), gemmBody(0)];

const moduleBytes = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [2, 0x60, 9, ...Array(9).fill(0x7f), 0, 0x60, 6, ...Array(6).fill(0x7f), 0]),
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x00]),
  ...section(3, [4, 0, 1, 1, 1]),
  ...section(7, [4, ...NAMES.flatMap((s, i) => [...name(s), 0x00, i])]),
  ...section(10, [4, ...bodies.flatMap((b) => [...leb(b.length), ...b])]),
]);

/** The functions bound to `memory`, or null where this WebAssembly has no SIMD. */
export function gemmSimd(memory: WasmMemory): Gemm | null {
  if (!WA.validate(moduleBytes)) return null;
  const { exports: e } = new WA.Instance(new WA.Module(moduleBytes), { env: { memory } });
  return {
    compress: e.compress as Compress,
    gemm8: e.gemm8 as GemmBlock,
    gemm1: e.gemm1 as GemmBlock,
    gemms: e.gemms as GemmBlock,
  };
}

/** The heap's allocator (the wasm backend's emscripten module). */
export interface Heap {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

/** Bytes of terms compressed at once: rows are done in chunks so the scratch stays small for any batch. */
const CHUNK_BYTES = 1 << 20;

/**
 * Products C (m×n, row stride ldc bytes) = init + A·B, A read at (i, k) = a + i·sai + k·sak, B (k×n, row
 * stride ldb bytes), in chunks of rows: each chunk of A compressed to its terms once, then the column blocks
 * of 32, 4 and 1. `init` null: zeros. One scratch buffer on the heap (the terms, a row of zeros), grown as
 * needed and kept.
 */
export class WasmGemm {
  private scratch = { ptr: 0, bytes: 0, zeros: 0 };
  constructor(
    private readonly g: Gemm,
    private readonly heap: Heap & { HEAPF32: Float32Array },
  ) {}

  private reserve(bytes: number, zeros: number): number {
    const s = this.scratch;
    if (s.bytes >= bytes + 4 * zeros && s.zeros >= zeros) return s.ptr;
    if (s.ptr) this.heap._free(s.ptr);
    const z = Math.max(zeros, s.zeros);
    const size = Math.max(bytes + 4 * z, 2 * s.bytes);
    const ptr = this.heap._malloc(size) >>> 0;
    this.heap.HEAPF32.fill(0, ptr / 4, ptr / 4 + z);
    this.scratch = { ptr, bytes: size - 4 * z, zeros: z };
    return ptr;
  }

  product(
    [a, sai, sak]: [number, number, number],
    [b, ldb]: [number, number],
    [c, ldc]: [number, number],
    [m, n, k]: [number, number, number],
    init: number | null,
    skip: boolean,
  ): void {
    const chunk = Math.max(1, Math.min(m, Math.floor(CHUNK_BYTES / (8 * Math.max(k, 1)))));
    const zeros = this.reserve(8 * chunk * k + 4 * (chunk + 1), n);
    const from = init ?? zeros;
    const rows = zeros + 4 * this.scratch.zeros;
    const terms = rows + 4 * (chunk + 1);
    const g = this.g;
    for (let r = 0; r < m; r += chunk) {
      const h = Math.min(chunk, m - r);
      const [ar, cr] = [a + r * sai, c + r * ldc];
      g.compress(ar, sai, sak, h, k, ldb, terms, rows, skip ? 1 : 0);
      let j = 0;
      for (; j + 32 <= n; j += 32) g.gemm8(rows, b + 4 * j, cr + 4 * j, ldc, h, from + 4 * j);
      for (; j + 4 <= n; j += 4) g.gemm1(rows, b + 4 * j, cr + 4 * j, ldc, h, from + 4 * j);
      for (; j < n; j++) g.gemms(rows, b + 4 * j, cr + 4 * j, ldc, h, from + 4 * j);
    }
  }

  dispose(): void {
    if (this.scratch.ptr) this.heap._free(this.scratch.ptr);
    this.scratch = { ptr: 0, bytes: 0, zeros: 0 };
  }
}
