/**
 * The WebAssembly side of the convolution kernels (wasm-conv.ts): a module over the wasm backend's own memory
 * with one gather and the SIMD products of wasm-gemm.ts.
 *   gather(base, rowOff, nrows, colOff, colB, ncols, terms, rows, skip): for each row i < nrows, its terms
 *     (x as f32, colB[j] as i32) for j < ncols, x = the f32 at base + rowOff[i] + colOff[j] (byte offsets; the
 *     tables are i32 arrays), a term whose x is 0 left out when skip is 1; rows[i] = where row i's terms
 *     start, rows[nrows] = where they end. The rows and columns of an im2col matrix (output pixels and filter
 *     taps) are such tables: the matrix is never written out, its terms are read where x lies.
 *   gemm8 / gemm1 / gemms: C = init + the terms times their rows of B (see wasm-gemm.ts), and gemm8a / gemm1a
 *     / gemmsa: C += the same (a filter gradient summed over blocks of pixels).
 *   colsum8 / colsum1 / colsums (x, out, m, ld): out[0..w) = Σ over the m rows of x (ld bytes apart) of the row's
 *     first w columns, w = 32, 4 or 1, each sum from +0 in row order (a bias's gradient: Sum over all axes but
 *     the last, with the float32 results of the backend's Sum, which transposes and then sums in that order).
 */
import { f32Zero, get, i32, inc, instantiate, loopWhileBelow, mem, moduleOf, op, set, tee } from './wasm-asm.js';
import type { WasmMemory } from './wasm-adam.js';
import { type GemmBlock, gemmBody } from './wasm-gemm.js';

export type Gather = (
  base: number,
  rowOff: number,
  nrows: number,
  colOff: number,
  colB: number,
  ncols: number,
  terms: number,
  rows: number,
  skip: number,
) => void;

/** (x, out, m, ld): column sums of one block, see the module comment. */
export type ColSum = (x: number, out: number, m: number, ld: number) => void;

export interface ConvSimd {
  colsum8: ColSum;
  colsum1: ColSum;
  colsums: ColSum;
  gather: Gather;
  gemm8: GemmBlock;
  gemm1: GemmBlock;
  gemms: GemmBlock;
  gemm8a: GemmBlock;
  gemm1a: GemmBlock;
  gemmsa: GemmBlock;
}

const { addI, mulI, i32Load, i32Store, f32Load, f32Store } = op;

function gatherBody(): number[] {
  const [base, rowOff, nrows, colOff, colB, ncols, terms, rows, skip] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [i, j, t, ro, v] = [9, 10, 11, 12, 13];
  const at = (table: number, x: number) => [...get(table), ...get(x), ...i32(4), ...mulI, ...addI];
  const rowStart = (x: number) => [...at(rows, x), ...get(t), ...i32Store, ...mem(2, 0)];
  return [
    ...[2, 4, 0x7f, 1, 0x7d], // locals: 4 i32, 1 f32
    ...[...get(terms), ...set(t)],
    ...loopWhileBelow(i, nrows, [
      ...rowStart(i),
      ...[...at(rowOff, i), ...i32Load, ...mem(2, 0), ...get(base), ...addI, ...set(ro), ...i32(0), ...set(j)],
      ...loopWhileBelow(j, ncols, [
        ...[...get(t), ...get(ro), ...at(colOff, j), ...i32Load, ...mem(2, 0), ...addI],
        ...[...f32Load, ...mem(2, 0), ...tee(v), ...f32Store, ...mem(2, 0)],
        ...[...get(t), ...at(colB, j), ...i32Load, ...mem(2, 0), ...i32Store, ...mem(2, 4)],
        // t += 8 · (v != 0 | !skip): the term is kept, or overwritten by the next
        ...[...get(t), ...get(v), ...f32Zero, ...op.f32Ne, ...get(skip), ...op.eqzI, ...op.orI],
        ...[...i32(3), ...op.shlI, ...addI, ...set(t)],
        ...inc(j, i32(1)),
      ]),
      ...inc(i, i32(1)),
    ]),
    ...rowStart(nrows),
  ];
}

function colsumBody(u: number): number[] {
  const [x, out, m, ld] = [0, 1, 2, 3];
  const [i, at, acc] = [4, 5, 6];
  const vector = u > 0;
  const accs = Array.from({ length: Math.max(u, 1) }, (_, j) => acc + j);
  const [load, store, add, align, width] = vector
    ? [op.v128Load, op.v128Store, op.f32x4Add, 4, 16]
    : [f32Load, f32Store, op.f32Add, 2, 4];
  return [
    ...[2, 2, 0x7f, accs.length, vector ? 0x7b : 0x7d], // locals: i32 i, at; the accumulators (zero)
    ...[...get(x), ...set(at)],
    ...loopWhileBelow(i, m, [
      ...accs.flatMap((a, j) => [...get(a), ...get(at), ...load, ...mem(align, j * width), ...add, ...set(a)]),
      ...inc(at, get(ld)),
      ...inc(i, i32(1)),
    ]),
    ...accs.flatMap((a, j) => [...get(out), ...get(a), ...store, ...mem(align, j * width)]),
  ];
}

const moduleBytes = moduleOf([
  { name: 'gather', params: 9, body: gatherBody() },
  { name: 'gemm8', params: 8, body: gemmBody(8) },
  { name: 'gemm1', params: 8, body: gemmBody(1) },
  { name: 'gemms', params: 8, body: gemmBody(0) },
  { name: 'gemm8a', params: 8, body: gemmBody(8, true) },
  { name: 'gemm1a', params: 8, body: gemmBody(1, true) },
  { name: 'gemmsa', params: 8, body: gemmBody(0, true) },
  { name: 'colsum8', params: 4, body: colsumBody(8) },
  { name: 'colsum1', params: 4, body: colsumBody(1) },
  { name: 'colsums', params: 4, body: colsumBody(0) },
]);

/** The functions bound to `memory`, or null where this WebAssembly has no SIMD. */
export function convSimd(memory: WasmMemory): ConvSimd | null {
  return instantiate(moduleBytes, memory) as unknown as ConvSimd | null;
}
