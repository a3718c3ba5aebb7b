/** Linear convolution of two non-negative sequences by an iterative radix-2 complex FFT, in float64. */

/** In place: the FFT of (re, im) (length a power of two), or its inverse (unscaled) with `inverse`. */
function fft(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(ang * k);
      const wi = Math.sin(ang * k);
      for (let i = k; i < n; i += len) {
        const j = i + half;
        const xr = re[j]! * wr - im[j]! * wi;
        const xi = re[j]! * wi + im[j]! * wr;
        re[j] = re[i]! - xr;
        im[j] = im[i]! - xi;
        re[i]! += xr;
        im[i]! += xi;
      }
    }
  }
}

/** The FFT length a convolution of sequences of lengths a and b needs: the least power of two ≥ a + b − 1. */
export const fftLength = (a: number, b: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, a + b - 1)));

/** a ∗ b (length a + b − 1); rounding's tiny negative values are set to 0 (the inputs are masses). */
export function convolve(a: Float64Array, b: Float64Array): Float64Array {
  const n = fftLength(a.length, b.length);
  const ar = new Float64Array(n);
  const ai = new Float64Array(n);
  const br = new Float64Array(n);
  const bi = new Float64Array(n);
  ar.set(a);
  br.set(b);
  fft(ar, ai, false);
  fft(br, bi, false);
  for (let i = 0; i < n; i++) {
    const r = ar[i]! * br[i]! - ai[i]! * bi[i]!;
    ai[i] = ar[i]! * bi[i]! + ai[i]! * br[i]!;
    ar[i] = r;
  }
  fft(ar, ai, true);
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, ar[i]! / n);
  return out;
}
