// Memory-bound elementwise kernels: branch-free f32x4 loops, a scalar tail for the last n % 4 elements.

/** out = dy where x > 0, else 0 (the Relu gradient). */
export function reluGrad(dy: usize, x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, v128.and(v128.load(dy + off), f32x4.gt(v128.load(x + off), zero)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, load<f32>(x + off) > 0 ? load<f32>(dy + off) : 0);
  }
}

/**
 * One Adam step (tf.train.adam's arithmetic) in a single pass:
 *   m' = b1 m + (1 - b1) g,  v' = b2 v + (1 - b2) g^2,  p' = p - lr (m' / c1) / (sqrt(v' / c2) + eps)
 * with c1 = 1 - b1^t and c2 = 1 - b2^t.
 */
export function adamUpdate(
  p: usize, g: usize, m: usize, v: usize, pOut: usize, mOut: usize, vOut: usize, n: i32,
  lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32,
): void {
  const step = lr / c1;
  const invC2 = <f32>1 / c2;
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(1 - b1);
  const vb2 = f32x4.splat(b2), vc2 = f32x4.splat(1 - b2);
  const vStep = f32x4.splat(step), vInvC2 = f32x4.splat(invC2), vEps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const gi = v128.load(g + off);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + off)), f32x4.mul(vc1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + off)), f32x4.mul(vc2, f32x4.mul(gi, gi)));
    v128.store(mOut + off, mi);
    v128.store(vOut + off, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, vInvC2)), vEps);
    v128.store(pOut + off, f32x4.sub(v128.load(p + off), f32x4.div(f32x4.mul(vStep, mi), denom)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const gi = load<f32>(g + off);
    const mi = b1 * load<f32>(m + off) + (1 - b1) * gi;
    const vi = b2 * load<f32>(v + off) + (1 - b2) * gi * gi;
    store<f32>(mOut + off, mi);
    store<f32>(vOut + off, vi);
    store<f32>(pOut + off, load<f32>(p + off) - (step * mi) / (Mathf.sqrt(vi * invC2) + eps));
  }
}
