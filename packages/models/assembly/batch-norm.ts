// Batch-norm passes over a row-major [rows, c] tensor (c = channels, a multiple of 4), one pass each.

/** Rows summed in float32 SIMD lanes before they are added to the float64 totals (keeps raw 0..255 pixels exact enough). */
const BLOCK: i32 = 64;

/**
 * Per-channel sums Σu and Σu·v (v = u gives the sums of squares) into float64 totals.
 * scratch: 2c float32 block accumulators, then (8-byte aligned) 2c float64 totals: Σu at [0, c), Σu·v at [c, 2c).
 */
export function channelSums(u: usize, v: usize, rows: i32, c: i32, scratch: usize): void {
  const acc = scratch;
  const totals = scratch + <usize>(2 * c) * 4;
  memory.fill(totals, 0, <usize>(2 * c) * 8);
  const rowBytes = <usize>c * 4;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    memory.fill(acc, 0, <usize>(2 * c) * 4);
    for (let r = r0; r < r1; r++) {
      const up = u + <usize>r * rowBytes;
      const vp = v + <usize>r * rowBytes;
      for (let k = 0; k < c; k += 4) {
        const off = <usize>k << 2;
        const uu = v128.load(up + off);
        v128.store(acc + off, f32x4.add(v128.load(acc + off), uu));
        v128.store(acc + rowBytes + off, f32x4.add(v128.load(acc + rowBytes + off), f32x4.mul(uu, v128.load(vp + off))));
      }
    }
    for (let k = 0; k < 2 * c; k += 4) {
      const s = v128.load(acc + (<usize>k << 2));
      const t = totals + (<usize>k << 3);
      v128.store(t, f64x2.add(v128.load(t), f64x2.promote_low_f32x4(s)));
      v128.store(t, f64x2.add(v128.load(t, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 0, 1))), 16);
    }
  }
}

/** out = a[ch]·u + b[ch]·v + d[ch] elementwise; coef holds a, b and d as float32 [3, c]. */
export function affine2(out: usize, u: usize, v: usize, rows: i32, c: i32, coef: usize): void {
  const rowBytes = <usize>c * 4;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    for (let k = 0; k < c; k += 4) {
      const off = <usize>k << 2;
      const a = v128.load(coef + off);
      const b = v128.load(coef + rowBytes + off);
      const d = v128.load(coef + 2 * rowBytes + off);
      v128.store(out + base + off, f32x4.add(f32x4.add(f32x4.mul(a, v128.load(u + base + off)), f32x4.mul(b, v128.load(v + base + off))), d));
    }
  }
}
