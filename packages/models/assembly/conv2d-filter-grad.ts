// AssemblyScript: compiled to WebAssembly SIMD by `npm run build:wasm` (asc). Runs on the memory of
// tfjs-backend-wasm (imported), so it reads and writes tensors in place. No data segments, no
// allocations, no runtime: only the pointers and sizes it is given are touched.

/**
 * Filter gradient of a 2D convolution, NHWC, accumulated into dw (which the caller zeroes):
 *   dw[kh, kw, ci, co] += sum over n, oh, ow of x[n, oh*sh + kh*dh - pt, ow*sw + kw*dw - pl, ci] * dy[n, oh, ow, co]
 * Tiles of 4 input channels x 8 output channels stay in 8 SIMD registers while the positions of one
 * image stream past (that image's x and dy stay in cache across the tiles), so each x value is loaded
 * once per tile and each dy vector once per 4 input channels. Remainders: 1 x 4 SIMD tiles, and scalar
 * code for the last co % 4 output channels.
 */
export function conv2dFilterGrad(
  x: usize, dy: usize, out: usize,
  n: i32, h: i32, w: i32, ci: i32,
  oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dwl: i32, pt: i32, pl: i32,
): void {
  const xImage = h * w * ci;
  const dyImage = oh * ow * co;
  for (let b = 0; b < n; b++) {
    const xb = x + <usize>(b * xImage) * 4;
    const dyb = dy + <usize>(b * dyImage) * 4;
    for (let i = 0; i < kh; i++) {
      // Output rows [oh0, oh1) whose input row r*sh + i*dh - pt lies inside the image; columns alike.
      const rowOff = i * dh - pt;
      const oh0 = firstInside(oh, sh, rowOff);
      const oh1 = endInside(oh0, oh, sh, rowOff, h);
      for (let j = 0; j < kw; j++) {
        const colOff = j * dwl - pl;
        const ow0 = firstInside(ow, sw, colOff);
        const ow1 = endInside(ow0, ow, sw, colOff, w);
        if (oh0 >= oh1 || ow0 >= ow1) continue;
        const outTap = out + <usize>((i * kw + j) * ci * co) * 4;
        let c = 0;
        for (; c + 4 <= ci; c += 4) {
          let o = 0;
          for (; o + 8 <= co; o += 8) tile4x8(xb, dyb, outTap, w, ci, ow, co, c, o, oh0, oh1, ow0, ow1, sh, sw, rowOff, colOff);
          for (; o + 4 <= co; o += 4) tile1x4(xb, dyb, outTap, w, ci, ow, co, c, o, oh0, oh1, ow0, ow1, sh, sw, rowOff, colOff, 4);
          if (o < co) tile1x1(xb, dyb, outTap, w, ci, ow, co, c, o, oh0, oh1, ow0, ow1, sh, sw, rowOff, colOff, 4);
        }
        if (c < ci) {
          let o = 0;
          for (; o + 4 <= co; o += 4) tile1x4(xb, dyb, outTap, w, ci, ow, co, c, o, oh0, oh1, ow0, ow1, sh, sw, rowOff, colOff, ci - c);
          if (o < co) tile1x1(xb, dyb, outTap, w, ci, ow, co, c, o, oh0, oh1, ow0, ow1, sh, sw, rowOff, colOff, ci - c);
        }
      }
    }
  }
}

/** The first output index o in [0, count) whose input index o*stride + offset is not below 0. */
// @ts-ignore: decorator
@inline
function firstInside(count: i32, stride: i32, offset: i32): i32 {
  let o = 0;
  while (o < count && o * stride + offset < 0) o++;
  return o;
}

/** One past the last output index in [from, count) whose input index o*stride + offset is below size. */
// @ts-ignore: decorator
@inline
function endInside(from: i32, count: i32, stride: i32, offset: i32, size: i32): i32 {
  let o = count;
  while (o > from && (o - 1) * stride + offset >= size) o--;
  return o;
}

// @ts-ignore: decorator
@inline
function tile4x8(
  xb: usize, dyb: usize, outTap: usize, w: i32, ci: i32, ow: i32, co: i32, c: i32, o: i32,
  oh0: i32, oh1: i32, ow0: i32, ow1: i32, sh: i32, sw: i32, rowOff: i32, colOff: i32,
): void {
  const o0 = outTap + <usize>(c * co + o) * 4;
  const rowStride = <usize>co * 4;
  let a00 = v128.load(o0), a01 = v128.load(o0, 16);
  let a10 = v128.load(o0 + rowStride), a11 = v128.load(o0 + rowStride, 16);
  let a20 = v128.load(o0 + 2 * rowStride), a21 = v128.load(o0 + 2 * rowStride, 16);
  let a30 = v128.load(o0 + 3 * rowStride), a31 = v128.load(o0 + 3 * rowStride, 16);
  const xStep = <usize>(sw * ci) * 4;
  const dyStep = <usize>co * 4;
  for (let r = oh0; r < oh1; r++) {
    let xp = xb + <usize>(((r * sh + rowOff) * w + ow0 * sw + colOff) * ci + c) * 4;
    let dp = dyb + <usize>((r * ow + ow0) * co + o) * 4;
    for (let q = ow0; q < ow1; q++) {
      const b0 = v128.load(dp), b1 = v128.load(dp, 16);
      const x0 = v128.load32_splat(xp);
      const x1 = v128.load32_splat(xp, 4);
      const x2 = v128.load32_splat(xp, 8);
      const x3 = v128.load32_splat(xp, 12);
      a00 = f32x4.add(a00, f32x4.mul(x0, b0)); a01 = f32x4.add(a01, f32x4.mul(x0, b1));
      a10 = f32x4.add(a10, f32x4.mul(x1, b0)); a11 = f32x4.add(a11, f32x4.mul(x1, b1));
      a20 = f32x4.add(a20, f32x4.mul(x2, b0)); a21 = f32x4.add(a21, f32x4.mul(x2, b1));
      a30 = f32x4.add(a30, f32x4.mul(x3, b0)); a31 = f32x4.add(a31, f32x4.mul(x3, b1));
      xp += xStep;
      dp += dyStep;
    }
  }
  v128.store(o0, a00); v128.store(o0, a01, 16);
  v128.store(o0 + rowStride, a10); v128.store(o0 + rowStride, a11, 16);
  v128.store(o0 + 2 * rowStride, a20); v128.store(o0 + 2 * rowStride, a21, 16);
  v128.store(o0 + 3 * rowStride, a30); v128.store(o0 + 3 * rowStride, a31, 16);
}

/** `rows` (1..4) input channels x 4 output channels, one row at a time: the remainders of the 4x8 tiling. */
function tile1x4(
  xb: usize, dyb: usize, outTap: usize, w: i32, ci: i32, ow: i32, co: i32, c: i32, o: i32,
  oh0: i32, oh1: i32, ow0: i32, ow1: i32, sh: i32, sw: i32, rowOff: i32, colOff: i32, rows: i32,
): void {
  const xStep = <usize>(sw * ci) * 4;
  const dyStep = <usize>co * 4;
  for (let k = 0; k < rows; k++) {
    const o0 = outTap + <usize>((c + k) * co + o) * 4;
    let acc = v128.load(o0);
    for (let r = oh0; r < oh1; r++) {
      let xp = xb + <usize>(((r * sh + rowOff) * w + ow0 * sw + colOff) * ci + c + k) * 4;
      let dp = dyb + <usize>((r * ow + ow0) * co + o) * 4;
      for (let q = ow0; q < ow1; q++) {
        acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(xp), v128.load(dp)));
        xp += xStep;
        dp += dyStep;
      }
    }
    v128.store(o0, acc);
  }
}

/** Scalar code for `rows` input channels x the last co - o (< 4) output channels. */
function tile1x1(
  xb: usize, dyb: usize, outTap: usize, w: i32, ci: i32, ow: i32, co: i32, c: i32, o: i32,
  oh0: i32, oh1: i32, ow0: i32, ow1: i32, sh: i32, sw: i32, rowOff: i32, colOff: i32, rows: i32,
): void {
  const xStep = <usize>(sw * ci) * 4;
  const dyStep = <usize>co * 4;
  for (let k = 0; k < rows; k++) {
    for (let oc = o; oc < co; oc++) {
      const o0 = outTap + <usize>((c + k) * co + oc) * 4;
      let acc = load<f32>(o0);
      for (let r = oh0; r < oh1; r++) {
        let xp = xb + <usize>(((r * sh + rowOff) * w + ow0 * sw + colOff) * ci + c + k) * 4;
        let dp = dyb + <usize>((r * ow + ow0) * co + oc) * 4;
        for (let q = ow0; q < ow1; q++) {
          acc += load<f32>(xp) * load<f32>(dp);
          xp += xStep;
          dp += dyStep;
        }
      }
      store<f32>(o0, acc);
    }
  }
}
