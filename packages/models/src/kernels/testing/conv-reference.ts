/**
 * Float64 reference convolution and central finite differences in plain JS, independent of TF.js, for the
 * gradient tests of the kernels and layers (tiny shapes only: O(params * conv) work).
 */
export interface RefConv {
  x: Float64Array;
  xShape: [number, number, number, number];
  w: Float64Array;
  wShape: [number, number, number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: 'same' | 'valid';
}

export function refOutShape(c: RefConv): { oh: number; ow: number; top: number; left: number } {
  const [, h, wd] = c.xShape;
  const [kh, kw] = c.wShape;
  const eff = [(kh - 1) * c.dilation[0] + 1, (kw - 1) * c.dilation[1] + 1] as const;
  if (c.padding === 'valid') {
    return { oh: Math.ceil((h - eff[0] + 1) / c.stride[0]), ow: Math.ceil((wd - eff[1] + 1) / c.stride[1]), top: 0, left: 0 };
  }
  const oh = Math.ceil(h / c.stride[0]);
  const ow = Math.ceil(wd / c.stride[1]);
  const padH = Math.max((oh - 1) * c.stride[0] + eff[0] - h, 0);
  const padW = Math.max((ow - 1) * c.stride[1] + eff[1] - wd, 0);
  return { oh, ow, top: Math.floor(padH / 2), left: Math.floor(padW / 2) };
}

/** Cross-correlation (as Keras/TF), NHWC input, [KH,KW,CI,CO] filter. */
export function refConv2d(c: RefConv): Float64Array {
  const [n, h, wd, ci] = c.xShape;
  const [kh, kw, , co] = c.wShape;
  const { oh, ow, top, left } = refOutShape(c);
  const out = new Float64Array(n * oh * ow * co);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let p = 0; p < kh; p++)
          for (let q = 0; q < kw; q++) {
            const y = i * c.stride[0] + p * c.dilation[0] - top;
            const x = j * c.stride[1] + q * c.dilation[1] - left;
            if (y < 0 || y >= h || x < 0 || x >= wd) continue;
            for (let k = 0; k < ci; k++) {
              const xv = c.x[((b * h + y) * wd + x) * ci + k] ?? 0;
              for (let o = 0; o < co; o++) {
                const idx = ((b * oh + i) * ow + j) * co + o;
                out[idx] = (out[idx] ?? 0) + xv * (c.w[((p * kw + q) * ci + k) * co + o] ?? 0);
              }
            }
          }
  return out;
}

/** d/dθ of sum(f(θ) * weights) for every entry of θ, by central differences in float64. */
export function centralDifferences(theta: Float64Array, weights: Float64Array, f: (theta: Float64Array) => Float64Array, h = 1e-3): Float64Array {
  const grad = new Float64Array(theta.length);
  const loss = (): number => f(theta).reduce((acc, v, i) => acc + v * (weights[i] ?? 0), 0);
  for (let i = 0; i < theta.length; i++) {
    const keep = theta[i] ?? 0;
    theta[i] = keep + h;
    const up = loss();
    theta[i] = keep - h;
    const down = loss();
    theta[i] = keep;
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

/** Deterministic uniform(-1, 1) values (mulberry32), so a failing case reproduces. */
export function randomValues(count: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  }
  return out;
}

/** Largest |a - b| relative to the largest |b| (1 when b is all zeros). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
    scale = Math.max(scale, Math.abs(b[i] ?? 0));
  }
  return diff / scale;
}
