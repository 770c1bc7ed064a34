/**
 * Seeded pseudo-random numbers (sfc32) whose whole state is four integers, so a checkpoint can
 * store it and a resumed trial draws exactly the numbers it would have drawn without stopping.
 * Math.random is never used in training: shuffles, dropout masks, augmentation and weight
 * initializers all draw from one of these.
 */
export class SeededRng {
  private s: [number, number, number, number];

  constructor(seed: number) {
    this.s = [0x9e3779b9, 0x243f6a88, 0xb7e15162, seed >>> 0];
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** The generator's state, for checkpoints. */
  getState(): number[] {
    return [...this.s];
  }

  /** Restores a state returned by `getState`. */
  setState(state: readonly number[]): void {
    if (state.length !== 4) throw new Error(`RNG state must have 4 integers, got ${state.length}`);
    this.s = [state[0]! >>> 0, state[1]! >>> 0, state[2]! >>> 0, state[3]! >>> 0];
  }

  nextUint32(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a, b, c, d];
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A positive integer seed for TF.js ops that take one (0 would mean "unseeded" there). */
  seed(): number {
    return (this.nextUint32() % 2147483646) + 1;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }
}
