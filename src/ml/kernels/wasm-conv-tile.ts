/**
 * The filter gradient's register-blocked tile (wasm-conv.ts), a module over the wasm backend's own memory:
 *   tile(base, pix, dy, dw, m, ldy, ldw): for 4 consecutive taps (4 channels of one filter row and column) and
 *   8 columns of dW, dW[t, 0..8) += Σ over the m pixels i of x[base + pix[i] + 4t] · dy[i, 0..8), in pixel order,
 *   one float32 product and one float32 sum per term, from dW's own values. Eight f32x4 accumulators stay in
 *   registers; per pixel it loads the 4 taps as one vector and 2 vectors of dy, where the 1×32 tile of the
 *   general GEMM loads 8 vectors of dy per tap and first gathers the taps as terms. pix: i32 byte offsets
 *   of each pixel's window; ldy / ldw: row strides of dy and dW in bytes.
 * Sums run in the order of the general GEMM (from dW, pixels in order); that one leaves out the terms whose x
 * is 0, which changes no bit while dy is finite (a sum from +0 never becomes −0).
 */
import { get, i32, inc, instantiate, loopWhileBelow, mem, moduleOf, op, set, simd } from './wasm-asm.js';
import type { WasmMemory } from './wasm-adam.js';

export type Tile = (base: number, pix: number, dy: number, dw: number, m: number, ldy: number, ldw: number) => void;

const { addI, mulI, i32Load } = op;

function tileBody(): number[] {
  const [base, pix, dy, dw, m, ldy, ldw] = [0, 1, 2, 3, 4, 5, 6];
  const [i, p, q, xv, s, d0, d1] = [7, 8, 9, 10, 11, 12, 13];
  const acc = (t: number, h: number) => 14 + 2 * t + h;
  const taps = [0, 1, 2, 3];
  const row = (t: number, h: number) => [...get(dw), ...get(ldw), ...i32(t), ...mulI, ...addI, ...i32(16 * h), ...addI];
  const lane = (t: number) => [...simd(0x0d), ...Array.from({ length: 16 }, (_, b) => 4 * t + (b % 4))];
  return [
    ...[2, 3, 0x7f, 12, 0x7b], // locals: 3 i32; x, a splat, 2 of dy, 8 accumulators
    ...taps.flatMap((t) => [0, 1].flatMap((h) => [...row(t, h), ...op.v128Load, ...mem(0, 0), ...set(acc(t, h))])),
    ...[...get(pix), ...set(p), ...get(dy), ...set(q)],
    ...loopWhileBelow(i, m, [
      ...[...get(base), ...get(p), ...i32Load, ...mem(2, 0), ...addI, ...op.v128Load, ...mem(0, 0), ...set(xv)],
      ...[...get(q), ...op.v128Load, ...mem(0, 0), ...set(d0), ...get(q), ...op.v128Load, ...mem(0, 16), ...set(d1)],
      ...taps.flatMap((t) => [
        ...[...get(xv), ...get(xv), ...lane(t), ...set(s)],
        ...[...get(acc(t, 0)), ...get(s), ...get(d0), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc(t, 0))],
        ...[...get(acc(t, 1)), ...get(s), ...get(d1), ...op.f32x4Mul, ...op.f32x4Add, ...set(acc(t, 1))],
      ]),
      ...[...inc(p, i32(4)), ...inc(q, get(ldy)), ...inc(i, i32(1))],
    ]),
    ...taps.flatMap((t) => [0, 1].flatMap((h) => [...row(t, h), ...get(acc(t, h)), ...op.v128Store, ...mem(0, 0)])),
  ];
}

const moduleBytes = moduleOf([{ name: 'tile', params: 7, body: tileBody() }]);

/** The tile bound to `memory`, or null where this WebAssembly has no SIMD. */
export function convTile(memory: WasmMemory): Tile | null {
  const e = instantiate(moduleBytes, memory);
  return e ? (e.tile as Tile) : null;
}
