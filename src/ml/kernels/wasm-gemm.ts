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
import {
  f32Zero,
  get,
  i32,
  ifThen,
  inc,
  instantiate,
  loopWhileBelow,
  mem,
  moduleOf,
  op,
  set,
  tee,
  v128Zero,
} from './wasm-asm.js';
import type { WasmMemory } from './wasm-adam.js';

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
/**
 * (rows, b, c, ldc, m, init, post, relu): C[i, 0..w) = init + the terms of row i times their rows of B;
 * then, where post is not 0, + post[0..w) (a bias added after the sum), and where relu is 1, max(·, 0).
 */
export type GemmBlock = (
  rows: number,
  b: number,
  c: number,
  ldc: number,
  m: number,
  init: number,
  post: number,
  relu: number,
) => void;
/** (dy, y, dz, db, m, ld): over w columns, dz = dy · (y > 0 ? 1 : 0) and db = Σ over the m rows of dz. */
export type ReluGradBlock = (dy: number, y: number, dz: number, db: number, m: number, ld: number) => void;

export interface Gemm {
  compress: Compress;
  gemm8: GemmBlock;
  gemm1: GemmBlock;
  gemms: GemmBlock;
  relugrad4: ReluGradBlock;
  relugrads: ReluGradBlock;
}

const { addI, mulI, i32Load, i32Store, f32Load, f32Store } = op;

/** compress: for each row i, rows[i] = where its terms start; a term is (A[i, k] as f32, k·ldb as i32). */
function compressBody(): number[] {
  const [a, sai, sak, m, k, ldb, terms, rows, skip] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, kk, ap, t, av] = [9, 10, 11, 12, 13];
  const rowStart = (x: number) => [
    ...get(rows),
    ...get(x),
    ...i32(4),
    ...mulI,
    ...addI,
    ...get(t),
    ...i32Store,
    ...mem(2, 0),
  ];
  return [
    ...[2, 4, 0x7f, 1, 0x7d], // locals: 4 i32, 1 f32
    ...[...get(terms), ...set(t)],
    ...loopWhileBelow(i, m, [
      ...rowStart(i),
      ...[...get(a), ...get(i), ...get(sai), ...mulI, ...addI, ...set(ap), ...i32(0), ...set(kk)],
      ...loopWhileBelow(kk, k, [
        ...[...get(t), ...get(ap), ...f32Load, ...mem(2, 0), ...tee(av), ...f32Store, ...mem(2, 0)],
        ...[...get(t), ...get(kk), ...get(ldb), ...mulI, ...i32Store, ...mem(2, 4)],
        // t += 8 · (av != 0 | !skip): the term is kept, or overwritten by the next
        ...[...get(t), ...get(av), ...f32Zero, ...op.f32Ne, ...get(skip), ...op.eqzI, ...op.orI],
        ...[...i32(3), ...op.shlI, ...addI, ...set(t)],
        ...inc(ap, get(sak)),
        ...inc(kk, i32(1)),
      ]),
      ...inc(i, i32(1)),
    ]),
    ...rowStart(m),
  ];
}

/** The float32 operations on one accumulator: f32x4 for `vector`, else f32. */
function lanes(vector: boolean) {
  return vector
    ? { load: op.v128Load, store: op.v128Store, mul: op.f32x4Mul, add: op.f32x4Add, align: 4, width: 16 }
    : { load: f32Load, store: f32Store, mul: op.f32Mul, add: op.f32Add, align: 2, width: 4 };
}

/** relu of the value on the stack, kept in local x: x where x > 0, else +0 (and +0 for NaN). */
const relu = (x: number, vector: boolean) =>
  vector
    ? [...set(x), ...get(x), ...get(x), ...v128Zero, ...op.f32x4Gt, ...op.v128And]
    : [...set(x), ...get(x), ...f32Zero, ...get(x), ...f32Zero, ...op.f32Gt, ...op.select];

/**
 * A block function of `u` f32x4 accumulators, or of one f32 accumulator where `u` is 0. With `accumulate`,
 * each row's sum starts from that row of C itself (C += the product; `init` is not read).
 */
export function gemmBody(u: number, accumulate = false): number[] {
  const [rows, b, c, ldc, m, init, post, doRelu] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, p, end, bp, cp, s, acc] = [8, 9, 10, 11, 12, 13, 14];
  const vector = u > 0;
  const { load, store, mul, add, align, width } = lanes(vector);
  const accs = Array.from({ length: Math.max(u, 1) }, (_, j) => acc + j);
  const term = (x: number, j: number) => [
    ...[...get(x), ...get(s), ...get(bp), ...load, ...mem(align, j * width), ...mul, ...add, ...set(x)],
  ];
  const each = (f: (x: number, j: number) => number[]) => accs.flatMap(f);
  const start = accumulate ? [...get(c), ...get(i), ...get(ldc), ...mulI, ...addI] : get(init);
  return [
    ...[2, 5, 0x7f, 1 + accs.length, vector ? 0x7b : 0x7d], // locals: 5 i32; the splat and accumulators
    ...loopWhileBelow(i, m, [
      ...each((x, j) => [...start, ...load, ...mem(align, j * width), ...set(x)]),
      ...[...get(rows), ...get(i), ...i32(4), ...mulI, ...addI, ...set(cp)],
      ...[...get(cp), ...i32Load, ...mem(2, 0), ...set(p), ...get(cp), ...i32Load, ...mem(2, 4), ...set(end)],
      ...loopWhileBelow(p, end, [
        ...[...get(p), ...f32Load, ...mem(2, 0), ...(vector ? op.f32x4Splat : []), ...set(s)],
        ...[...get(b), ...get(p), ...i32Load, ...mem(2, 4), ...addI, ...set(bp)],
        ...each(term),
        ...inc(p, i32(8)),
      ]),
      ...get(post),
      ...ifThen(each((x, j) => [...get(x), ...get(post), ...load, ...mem(align, j * width), ...add, ...set(x)])),
      ...get(doRelu),
      ...ifThen(each((x) => [...get(x), ...relu(x, vector), ...set(x)])),
      ...[...get(c), ...get(i), ...get(ldc), ...mulI, ...addI, ...set(cp)],
      ...each((x, j) => [...get(cp), ...get(x), ...store, ...mem(align, j * width)]),
      ...inc(i, i32(1)),
    ]),
  ];
}

/** relu's gradient over one block of columns (f32x4, or one f32 column), the rows in order. */
function reluGradBody(vector: boolean): number[] {
  const [dy, y, dz, db, m, ld] = [0, 1, 2, 3, 4, 5];
  const [i, at, sum, v] = [6, 7, 8, 9];
  const { load, store, mul, add, align } = lanes(vector);
  const one = vector ? [0x43, 0, 0, 0x80, 0x3f, ...op.f32x4Splat] : [0x43, 0, 0, 0x80, 0x3f];
  // step(y) as 1 or +0: 1.0 and-masked by y > 0 (f32: select)
  const step = vector
    ? [...one, ...get(y), ...get(at), ...addI, ...load, ...mem(align, 0), ...v128Zero, ...op.f32x4Gt, ...op.v128And]
    : [
        ...one,
        ...f32Zero,
        ...get(y),
        ...get(at),
        ...addI,
        ...load,
        ...mem(align, 0),
        ...f32Zero,
        ...op.f32Gt,
        ...op.select,
      ];
  return [
    ...[2, 2, 0x7f, 2, vector ? 0x7b : 0x7d], // locals: i32 i, at; the sum and a value
    ...(vector ? [...v128Zero, ...set(sum)] : [...f32Zero, ...set(sum)]),
    ...loopWhileBelow(i, m, [
      ...[...get(dy), ...get(at), ...addI, ...load, ...mem(align, 0), ...step, ...mul, ...set(v)],
      ...[...get(dz), ...get(at), ...addI, ...get(v), ...store, ...mem(align, 0)],
      ...[...get(sum), ...get(v), ...add, ...set(sum)],
      ...inc(at, get(ld)),
      ...inc(i, i32(1)),
    ]),
    ...[...get(db), ...get(sum), ...store, ...mem(align, 0)],
  ];
}

const moduleBytes = moduleOf([
  { name: 'compress', params: 9, body: compressBody() },
  { name: 'gemm8', params: 8, body: gemmBody(8) },
  { name: 'gemm1', params: 8, body: gemmBody(1) },
  { name: 'gemms', params: 8, body: gemmBody(0) },
  { name: 'relugrad4', params: 6, body: reluGradBody(true) },
  { name: 'relugrads', params: 6, body: reluGradBody(false) },
]);

/** The functions bound to `memory`, or null where this WebAssembly has no SIMD. */
export function gemmSimd(memory: WasmMemory): Gemm | null {
  const e = instantiate(moduleBytes, memory);
  return e as unknown as Gemm | null;
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

  /** With `post` (a bias added after the sum) and `relu` (then max(·, 0)) applied as each row is stored. */
  product(
    [a, sai, sak]: [number, number, number],
    [b, ldb]: [number, number],
    [c, ldc]: [number, number],
    [m, n, k]: [number, number, number],
    {
      init,
      skip,
      post = null,
      relu = false,
    }: { init: number | null; skip: boolean; post?: number | null; relu?: boolean },
  ): void {
    const chunk = Math.max(1, Math.min(m, Math.floor(CHUNK_BYTES / (8 * Math.max(k, 1)))));
    const zeros = this.reserve(8 * chunk * k + 4 * (chunk + 1), n);
    const from = init ?? zeros;
    const rows = zeros + 4 * this.scratch.zeros;
    const terms = rows + 4 * (chunk + 1);
    const g = this.g;
    const r = relu ? 1 : 0;
    const after = (j: number) => (post === null ? 0 : post + 4 * j);
    for (let i = 0; i < m; i += chunk) {
      const h = Math.min(chunk, m - i);
      const [ai, ci] = [a + i * sai, c + i * ldc];
      g.compress(ai, sai, sak, h, k, ldb, terms, rows, skip ? 1 : 0);
      let j = 0;
      for (; j + 32 <= n; j += 32) g.gemm8(rows, b + 4 * j, ci + 4 * j, ldc, h, from + 4 * j, after(j), r);
      for (; j + 4 <= n; j += 4) g.gemm1(rows, b + 4 * j, ci + 4 * j, ldc, h, from + 4 * j, after(j), r);
      for (; j < n; j++) g.gemms(rows, b + 4 * j, ci + 4 * j, ldc, h, from + 4 * j, after(j), r);
    }
  }

  /** relu's gradient, m×n row-major: dz = dy · step(y), db = Σ over rows of dz (in row order, from 0). */
  reluGrad(dy: number, y: number, dz: number, db: number, [m, n]: [number, number]): void {
    let j = 0;
    for (; j + 4 <= n; j += 4) this.g.relugrad4(dy + 4 * j, y + 4 * j, dz + 4 * j, db + 4 * j, m, 4 * n);
    for (; j < n; j++) this.g.relugrads(dy + 4 * j, y + 4 * j, dz + 4 * j, db + 4 * j, m, 4 * n);
  }

  dispose(): void {
    if (this.scratch.ptr) this.heap._free(this.scratch.ptr);
    this.scratch = { ptr: 0, bytes: 0, zeros: 0 };
  }
}
