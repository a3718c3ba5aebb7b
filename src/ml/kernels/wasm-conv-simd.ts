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
 *   maxpoolgrad2(x, dy, dx, ho, wo, cb, rowb): the gradient of a 2×2 max-pool of stride 2 over one image whose
 *     channels come in fours (cb = 4C bytes, rowb = 4WC bytes): each window's dy at its first maximum (taps in
 *     row-major order; NaN never wins) as 0 + dy, +0 at its other taps, four channels at a time.
 *   colsum8 / colsum1 / colsums (x, out, m, ld): out[0..w) = Σ over the m rows of x (ld bytes apart) of the row's
 *     first w columns, w = 32, 4 or 1, each sum from +0 in row order (a bias's gradient: Sum over all axes but
 *     the last, with the float32 results of the backend's Sum, which transposes and then sums in that order).
 */
import {
  f32Zero,
  get,
  i32,
  inc,
  instantiate,
  loopWhileBelow,
  mem,
  moduleOf,
  op,
  set,
  simd,
  tee,
  v128Zero,
} from './wasm-asm.js';
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

/** (x, dy, dx, ho, wo, cb, rowb): see the module comment. */
export type MaxPoolGrad2 = (
  x: number,
  dy: number,
  dx: number,
  ho: number,
  wo: number,
  cb: number,
  rowb: number,
) => void;

export interface ConvSimd {
  maxpoolgrad2: MaxPoolGrad2;
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

/** maxpoolgrad2's body: per lane, masks w0..w3 of the winning tap, kept as the taps are compared in order. */
function maxPoolGradBody(): number[] {
  const [x, dy, dx, ho, wo, cb, rowb] = [0, 1, 2, 3, 4, 5, 6];
  const [a, b, c, pa, qa, pb, qb, o, P, Q] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [ninf, v, best, w0, w1, w2, cm] = [17, 18, 19, 20, 21, 22, 23];
  const [bitselect, andnot] = [simd(0x52), simd(0x4f)];
  const at = (base: number, offs: number[]) => [...get(base), ...offs.flatMap((q) => [...get(q), ...addI])];
  // cm = v > best (v the tap at P + offs); best = cm ? v : best; the earlier winners lose the lanes of cm
  const tap = (offs: number[], losers: number[]) => [
    ...[...at(P, offs), ...op.v128Load, ...mem(4, 0), ...set(v)],
    ...[...get(v), ...get(best), ...op.f32x4Gt, ...set(cm)],
    ...[...get(v), ...get(best), ...get(cm), ...bitselect, ...set(best)],
    ...losers.flatMap((w) => [...get(w), ...get(cm), ...andnot, ...set(w)]),
  ];
  // dx at Q + offs = (dy and w) + 0: dy where the tap won, else +0 (and −0 + 0 = +0, as the general loop gives)
  const store = (w: number, offs: number[]) => [
    ...at(Q, offs),
    ...[...get(o), ...op.v128Load, ...mem(4, 0), ...get(w), ...op.v128And, ...v128Zero, ...op.f32x4Add],
    ...[...op.v128Store, ...mem(4, 0)],
  ];
  const vector = [
    ...[...get(pb), ...get(c), ...addI, ...set(P), ...get(qb), ...get(c), ...addI, ...set(Q)],
    ...[...get(P), ...op.v128Load, ...mem(4, 0), ...set(v), ...get(v), ...get(ninf), ...op.f32x4Gt, ...set(w0)],
    ...[...get(v), ...get(ninf), ...get(w0), ...bitselect, ...set(best)],
    ...[...tap([cb], [w0]), ...get(cm), ...set(w1)],
    ...[...tap([rowb], [w0, w1]), ...get(cm), ...set(w2)],
    ...tap([rowb, cb], [w0, w1, w2]), // cm: the last tap's lanes
    ...[...store(w0, []), ...store(w1, [cb]), ...store(w2, [rowb]), ...store(cm, [rowb, cb])],
    ...[...inc(o, i32(16)), ...inc(c, i32(16))],
  ];
  return [
    ...[2, 10, 0x7f, 7, 0x7b], // locals: 10 i32, 7 v128
    ...[0x43, 0, 0, 0x80, 0xff, ...op.f32x4Splat, ...set(ninf)], // -Infinity in every lane
    ...[...get(x), ...set(pa), ...get(dx), ...set(qa), ...get(dy), ...set(o)],
    ...loopWhileBelow(a, ho, [
      ...[...get(pa), ...set(pb), ...get(qa), ...set(qb), ...i32(0), ...set(b)],
      ...loopWhileBelow(b, wo, [
        ...[...i32(0), ...set(c)],
        ...loopWhileBelow(c, cb, vector),
        ...[...inc(pb, [...get(cb), ...get(cb), ...addI]), ...inc(qb, [...get(cb), ...get(cb), ...addI])],
        ...inc(b, i32(1)),
      ]),
      ...[...inc(pa, [...get(rowb), ...get(rowb), ...addI]), ...inc(qa, [...get(rowb), ...get(rowb), ...addI])],
      ...inc(a, i32(1)),
    ]),
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
  { name: 'maxpoolgrad2', params: 7, body: maxPoolGradBody() },
  { name: 'colsum8', params: 4, body: colsumBody(8) },
  { name: 'colsum1', params: 4, body: colsumBody(1) },
  { name: 'colsums', params: 4, body: colsumBody(0) },
]);

/** The functions bound to `memory`, or null where this WebAssembly has no SIMD. */
export function convSimd(memory: WasmMemory): ConvSimd | null {
  return instantiate(moduleBytes, memory) as unknown as ConvSimd | null;
}
