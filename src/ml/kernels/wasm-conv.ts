/**
 * Two gradient kernels for the wasm backend, on its own memory (no copy to or from the host):
 *   Conv2DBackpropFilter (NHWC, dilation 1, any filter, stride and padding): dW = im2col(x)ᵀ · dy by the SIMD
 *     GEMM of wasm-gemm.ts. The im2col matrix is never written: its rows (output pixels) and columns (filter
 *     taps: row, column, channel) are tables of byte offsets into x (or into a zero-padded copy of x, when the
 *     convolution pads), kept per geometry, and the gather of wasm-conv-simd.ts turns a block of it into the
 *     GEMM's terms, leaving out zeros (the padding, and the zeros of a relu's output).
 *     dW[tap, :] = Σ over pixels x[pixel + tap] · dy[pixel, :] is summed a block of BLOCK pixels at a time
 *     (dy's block stays in cache) into dW, in place. With channels in fours and filters in eights, a 4 × 8 tile
 *     held in registers (wasm-conv-tile.ts) does it without the gather, in the same order (the same bits):
 *     the issue 30 CNN's second filter gradient 72 → 40 ms, 17 → 30 GFLOP/s. The previous kernel (conv2d-backprop-filter.ts: three
 *     transposes and an XNNPACK conv2d whose "filter" is dy) took 3 to 1.2 times as long.
 *   MaxPoolGrad (any window, stride and padding): each window's gradient goes to its first maximum, as on cpu
 *     (2×2 windows of stride 2 that tile the input, the usual pooling: SIMD four channels at a time in
 *     wasm-conv-simd.ts when the channels come in fours, 28 → 3 ms for the issue 30 CNN's first pool; else a
 *     loop without per-window arrays)
 *     (max-pool-grad.ts did it in about ten tfjs kernels; this is one loop, half the time).
 * The filter gradient's sums run in another order than the cpu backend's, so it agrees within float32
 * rounding, not bit for bit. The forward convolution stays XNNPACK's: im2col with this GEMM (a 1×32 tile)
 * reached half of XNNPACK's speed on the issue 30 CNN's first layer (bench/cnn-kernels.js), so it is not here.
 * A case outside these (dilation, NCHW) runs the kernel registered before.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmMemory } from './wasm-adam.js';
import { type ConvSimd, convSimd } from './wasm-conv-simd.js';
import { convTile, type Tile } from './wasm-conv-tile.js';
import { wrapWasmKernel } from './wrap-kernel.js';
import type { Heap } from './wasm-gemm.js';

interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  wasm: Heap & { HEAPF32: Float32Array; asm: { memory: WasmMemory } };
}

/** A heap buffer grown as needed and kept (one per use, so nothing is allocated per step once warm). */
class Scratch {
  private ptr = 0;
  private bytes = 0;
  constructor(private readonly heap: Heap) {}
  get(bytes: number): number {
    if (bytes <= this.bytes) return this.ptr;
    if (this.ptr) this.heap._free(this.ptr);
    this.bytes = Math.max(bytes, 2 * this.bytes);
    this.ptr = this.heap._malloc(this.bytes) >>> 0;
    return this.ptr;
  }
}

/** The geometry of one convolution; hs × ws the extent of x the windows cover (from the top-left padding on). */
interface Geo {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
  ho: number;
  wo: number;
  hs: number;
  ws: number;
}

function geoOf(info: tf.backend_util.Conv2DInfo): Geo | null {
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || info.dataFormat !== 'channelsLast') return null;
  const g = {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    ci: info.inChannels,
    co: info.outChannels,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
    ho: info.outHeight,
    wo: info.outWidth,
  };
  return { ...g, hs: (g.ho - 1) * g.sh + g.fh, ws: (g.wo - 1) * g.sw + g.fw };
}

const padded = (g: Geo): boolean => g.pt > 0 || g.pl > 0 || g.hs > g.h || g.ws > g.w;

interface State {
  simd: ConvSimd;
  /** The register-blocked tile of the filter gradient (wasm-conv-tile.ts), null where it did not load. */
  tile: Tile | null;
  backend: WasmBackend;
  pad: Scratch;
  work: Scratch;
  tables: Map<string, Tables>;
}

/** Byte offsets: pix[m] of output pixel m's window in the source, tapOff[t] of tap t in a window, tapB[t] = t·4Co. */
interface Tables {
  pix: number;
  tapOff: number;
  tapB: number;
  /** j·4Co for the pixels j of a block (the filter gradient's B rows). */
  blockB: number;
}

let state: State | null = null;
const ptr = (t: TensorInfo): number => state!.backend.dataIdMap.get(t.dataId).memoryOffset;

/** x itself (rows W apart) when the windows stay inside it, else a zero-padded copy of the part they cover. */
function source(s: State, x: number, g: Geo): { at: number; W: number } {
  if (!padded(g)) return { at: x, W: g.w };
  const at = s.pad.get(4 * g.n * g.hs * g.ws * g.ci);
  const heap = s.backend.wasm.HEAPF32;
  const [p0, x0] = [at / 4, x / 4];
  heap.fill(0, p0, p0 + g.n * g.hs * g.ws * g.ci);
  const rows = Math.min(g.h, g.hs - g.pt);
  const len = Math.min(g.w, g.ws - g.pl) * g.ci;
  for (let n = 0; n < g.n; n++)
    for (let r = 0; r < rows; r++) {
      const from = x0 + (n * g.h + r) * g.w * g.ci;
      heap.copyWithin(p0 + ((n * g.hs + r + g.pt) * g.ws + g.pl) * g.ci, from, from + len);
    }
  return { at, W: g.ws };
}

const BLOCK = 256; // pixels per block of the filter gradient

function tablesFor(s: State, g: Geo, W: number): Tables {
  const H = padded(g) ? g.hs : g.h;
  const key = [g.n, g.ho, g.wo, g.sh, g.sw, g.fh, g.fw, g.ci, g.co, H, W].join(',');
  const known = s.tables.get(key);
  if (known) return known;
  if (s.tables.size >= 16) {
    for (const t of s.tables.values()) s.backend.wasm._free(t.pix);
    s.tables.clear();
  }
  const [m, k] = [g.n * g.ho * g.wo, g.fh * g.fw * g.ci];
  const pix = s.backend.wasm._malloc(4 * (m + 2 * k + BLOCK)) >>> 0;
  const t = new Int32Array(s.backend.wasm.HEAPF32.buffer, pix, m + 2 * k + BLOCK);
  let i = 0;
  for (let n = 0; n < g.n; n++)
    for (let a = 0; a < g.ho; a++)
      for (let b = 0; b < g.wo; b++) t[i++] = 4 * ((n * H + a * g.sh) * W + b * g.sw) * g.ci;
  for (let r = 0; r < g.fh; r++)
    for (let q = 0; q < g.fw; q++) for (let c = 0; c < g.ci; c++) t[i++] = 4 * ((r * W + q) * g.ci + c);
  for (let j = 0; j < k; j++) t[m + k + j] = 4 * j * g.co;
  for (let j = 0; j < BLOCK; j++) t[m + 2 * k + j] = 4 * j * g.co;
  const tables = { pix, tapOff: pix + 4 * m, tapB: pix + 4 * (m + k), blockB: pix + 4 * (m + 2 * k) };
  s.tables.set(key, tables);
  return tables;
}

/** C (h × co, row stride 4co) = init/C + the gathered terms times B's rows, over column blocks of 32, 4, 1. */
function products(
  s: State,
  [rows, b, c, h]: [number, number, number, number],
  co: number,
  { init, relu, accumulate }: { init: number; relu: boolean; accumulate: boolean },
): void {
  const { gemm8, gemm1, gemms, gemm8a, gemm1a, gemmsa } = s.simd;
  const [g8, g1, gs] = accumulate ? [gemm8a, gemm1a, gemmsa] : [gemm8, gemm1, gemms];
  const r = relu ? 1 : 0;
  let j = 0;
  for (; j + 32 <= co; j += 32) g8(rows, b + 4 * j, c + 4 * j, 4 * co, h, init + 4 * j, 0, r);
  for (; j + 4 <= co; j += 4) g1(rows, b + 4 * j, c + 4 * j, 4 * co, h, init + 4 * j, 0, r);
  for (; j < co; j++) gs(rows, b + 4 * j, c + 4 * j, 4 * co, h, init + 4 * j, 0, r);
}

/** dW [fh,fw,Ci,Co] = Σ over output pixels of x's window ⊗ dy, a block of BLOCK pixels at a time. */
function convFilterGrad(x: number, dy: number, dW: number, g: Geo): void {
  const s = state!;
  const src = source(s, x, g);
  const t = tablesFor(s, g, src.W);
  const [m, k] = [g.n * g.ho * g.wo, g.fh * g.fw * g.ci];
  if (s.tile && g.ci % 4 === 0 && g.co % 8 === 0) {
    tiledFilterGrad(s, [src.at, dy, dW], t, g);
    return;
  }
  const work = s.work.get(8 * k * BLOCK + 4 * (k + 1));
  const rows = work + 8 * k * BLOCK;
  s.backend.wasm.HEAPF32.fill(0, dW / 4, dW / 4 + k * g.co);
  for (let m0 = 0; m0 < m; m0 += BLOCK) {
    const bm = Math.min(BLOCK, m - m0);
    s.simd.gather(src.at, t.tapOff, k, t.pix + 4 * m0, t.blockB, bm, work, rows, 1);
    products(s, [rows, dy + 4 * m0 * g.co, dW, k], g.co, { init: 0, relu: false, accumulate: true });
  }
}

/**
 * convFilterGrad by the 4 × 8 tile: per block of BLOCK pixels, every 4 taps (channels in fours) times every 8
 * columns, dW += their products over the block's pixels (the sums of the general GEMM, in its order).
 */
function tiledFilterGrad(s: State, [src, dy, dW]: [number, number, number], t: Tables, g: Geo): void {
  const [m, k] = [g.n * g.ho * g.wo, g.fh * g.fw * g.ci];
  const tapOff = new Int32Array(s.backend.wasm.HEAPF32.buffer, t.tapOff, k).slice();
  s.backend.wasm.HEAPF32.fill(0, dW / 4, dW / 4 + k * g.co);
  const tile = s.tile!;
  const ld = 4 * g.co;
  for (let m0 = 0; m0 < m; m0 += BLOCK) {
    const bm = Math.min(BLOCK, m - m0);
    for (let tap = 0; tap < k; tap += 4)
      for (let j = 0; j < g.co; j += 8)
        tile(src + tapOff[tap]!, t.pix + 4 * m0, dy + 4 * (m0 * g.co + j), dW + 4 * (tap * g.co + j), bm, ld, ld);
  }
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
}

const shape4 = (s: number[]) => s as [number, number, number, number];

function convInfo(xShape: number[], filterShape: number[], a: ConvAttrs): Geo | null {
  if (a.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    shape4(xShape),
    shape4(filterShape),
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    false,
    'channelsLast',
  );
  return geoOf(info);
}

function filterGradKernel(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as Record<string, TensorInfo>;
    const a = args.attrs as unknown as ConvAttrs;
    const g = convInfo(x!.shape, a.filterShape!, a);
    if (!g || x!.dtype !== 'float32') return fallback(args);
    const out = state!.backend.makeOutput([g.fh, g.fw, g.ci, g.co], 'float32');
    convFilterGrad(ptr(x!), ptr(dy!), ptr(out), g);
    return out;
  };
}

/** dx [N,H,W,C]: each window's dy added at its first maximum (taps in row-major order; NaN never wins). */
function maxPoolGrad(args: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, input } = args.inputs as Record<string, TensorInfo>;
  const a = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    shape4(input!.shape),
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const out = state!.backend.makeOutput(input!.shape, 'float32');
  const heap = state!.backend.wasm.HEAPF32;
  const [x, d, dx] = [ptr(input!) / 4, ptr(dy!) / 4, ptr(out) / 4];
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
  if (tiled2x2(info) && C % 4 === 0) {
    maxPoolGradSimd(heap, [x, d, dx], info);
    return out;
  }
  heap.fill(0, dx, dx + N * H * W * C);
  if (tiled2x2(info)) {
    maxPoolGrad2x2(heap, [x, d, dx], info);
    return out;
  }
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  for (let n = 0; n < N; n++)
    for (let a0 = 0; a0 < Ho; a0++)
      for (let b0 = 0; b0 < Wo; b0++) {
        best.fill(-Infinity);
        pos.fill(-1);
        const [top, left] = [a0 * info.strideHeight - info.padInfo.top, b0 * info.strideWidth - info.padInfo.left];
        for (let r = Math.max(0, top); r < Math.min(H, top + info.filterHeight); r++)
          for (let q = Math.max(0, left); q < Math.min(W, left + info.filterWidth); q++) {
            const at = ((n * H + r) * W + q) * C;
            for (let c = 0; c < C; c++) {
              const v = heap[x + at + c]!;
              if (v > best[c]!) {
                best[c] = v;
                pos[c] = at + c;
              }
            }
          }
        const o = d + ((n * Ho + a0) * Wo + b0) * C;
        for (let c = 0; c < C; c++) {
          const p = dx + pos[c]!;
          if (p >= dx) heap[p] = heap[p]! + heap[o + c]!;
        }
      }
  return out;
}

/** A 2×2 pool of stride 2 whose windows start at the top-left corner and stay inside: each input in one window. */
const tiled2x2 = (i: tf.backend_util.Conv2DInfo): boolean =>
  i.filterHeight === 2 &&
  i.filterWidth === 2 &&
  i.strideHeight === 2 &&
  i.strideWidth === 2 &&
  i.padInfo.top === 0 &&
  i.padInfo.left === 0 &&
  2 * i.outHeight <= i.inHeight &&
  2 * i.outWidth <= i.inWidth;

/** maxPoolGrad for tiled2x2 windows and channels in fours: every tap written (dx zero-filled first only where no window covers it). */
function maxPoolGradSimd(heap: Float32Array, [x, d, dx]: [number, number, number], i: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = i;
  if (2 * Ho < H || 2 * Wo < W) heap.fill(0, dx, dx + N * H * W * C);
  const [image, pooled] = [H * W * C, Ho * Wo * C];
  for (let n = 0; n < N; n++)
    state!.simd.maxpoolgrad2(4 * (x + n * image), 4 * (d + n * pooled), 4 * (dx + n * image), Ho, Wo, 4 * C, 4 * W * C);
}

/**
 * maxPoolGrad for tiled2x2 windows (dx already zero): windows do not overlap, so each window's dy is stored at its
 * first maximum (taps in row-major order; NaN never wins) as 0 + dy, what the general loop adds there, without its
 * per-window arrays.
 */
function maxPoolGrad2x2(heap: Float32Array, [x, d, dx]: [number, number, number], i: tf.backend_util.Conv2DInfo) {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = i;
  const [right, down] = [C, W * C];
  for (let n = 0; n < N; n++)
    for (let a = 0; a < Ho; a++)
      for (let b = 0; b < Wo; b++) {
        const at = ((n * H + 2 * a) * W + 2 * b) * C;
        const o = d + ((n * Ho + a) * Wo + b) * C;
        for (let c = 0; c < C; c++) {
          const p = at + c;
          let best = -Infinity;
          let pos = -1;
          const v0 = heap[x + p]!;
          if (v0 > best) {
            best = v0;
            pos = p;
          }
          const v1 = heap[x + p + right]!;
          if (v1 > best) {
            best = v1;
            pos = p + right;
          }
          const v2 = heap[x + p + down]!;
          if (v2 > best) {
            best = v2;
            pos = p + down;
          }
          if (heap[x + p + down + right]! > best) pos = p + down + right;
          if (pos >= 0) heap[dx + pos] = 0 + heap[o + c]!;
        }
      }
}

/**
 * Sum over every axis but the last (a bias's gradient): column sums, each from +0 in row order, as the
 * backend's Sum computes them after transposing x (bit for bit), without the transpose.
 */
function sumKernel(fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as Record<string, TensorInfo>;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const r = x!.shape.length;
    const axes = tf.util.parseAxisParam(axis, x!.shape); // in the order given: the native sum's order follows it
    const leading = r >= 2 && axes.length === r - 1 && axes.every((a, i) => a === i);
    if (!leading || x!.dtype !== 'float32') return fallback(args);
    const n = x!.shape[r - 1]!;
    const m = tf.util.sizeFromShape(x!.shape) / n;
    const out = state!.backend.makeOutput(keepDims ? [...Array(r - 1).fill(1), n] : [n], 'float32');
    const [px, po, s] = [ptr(x!), ptr(out), state!.simd];
    let j = 0;
    for (; j + 32 <= n; j += 32) s.colsum8(px + 4 * j, po + 4 * j, m, 4 * n);
    for (; j + 4 <= n; j += 4) s.colsum1(px + 4 * j, po + 4 * j, m, 4 * n);
    for (; j < n; j++) s.colsums(px + 4 * j, po + 4 * j, m, 4 * n);
    return out;
  };
}

const NAMES = ['Conv2DBackpropFilter', 'MaxPoolGrad', 'Sum'] as const;

/**
 * Registers the kernels above for the wasm backend over the ones registered so far (call it after
 * registerWasmGradKernels: the filter gradient and MaxPoolGrad fall back to those). Idempotent; returns
 * whether they are registered (not where WebAssembly has no SIMD).
 */
export function registerWasmConvKernels(): boolean {
  if (state) return true;
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  const simd = backend && convSimd(backend.wasm.asm.memory);
  if (!backend || !simd) return false;
  const tile = convTile(backend.wasm.asm.memory);
  state = { simd, tile, backend, pad: new Scratch(backend.wasm), work: new Scratch(backend.wasm), tables: new Map() };
  const make: Record<(typeof NAMES)[number], (f: KernelFunc) => KernelFunc> = {
    Conv2DBackpropFilter: filterGradKernel,
    MaxPoolGrad: () => maxPoolGrad as KernelFunc,
    Sum: sumKernel,
  };
  for (const name of NAMES) wrapWasmKernel(name, make[name]);
  return true;
}
