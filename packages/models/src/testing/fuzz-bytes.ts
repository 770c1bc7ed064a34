import fc from 'fast-check';

/** One mutation of a file: cut it short, overwrite bytes, insert bytes, or repeat a slice. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'repeat'; at: number; length: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('overwrite' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 512 }) }),
).map((m) => m as Mutation);

/** `at` in [0, 1] as an index into `n` bytes. */
function index(at: number, n: number): number {
  return Math.min(n, Math.floor(at * (n + 1)));
}

function apply(data: Uint8Array, m: Mutation): Uint8Array {
  const i = index(m.at, data.length);
  switch (m.kind) {
    case 'truncate':
      return data.slice(0, i);
    case 'overwrite': {
      const out = data.slice();
      out.set(m.bytes.subarray(0, Math.max(0, out.length - i)), i);
      return out;
    }
    case 'insert':
      return concat(data.subarray(0, i), m.bytes, data.subarray(i));
    case 'repeat':
      return concat(data.subarray(0, i), data.subarray(i, i + m.length), data.subarray(i));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Valid files from `valid`, each with one to four mutations applied (so mostly broken, sometimes still valid). */
export function mutated(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([data, ms]) => ms.reduce(apply, data));
}

/** A valid 24-bit uncompressed BMP of `width`×`height` pixels (rows padded to 4 bytes, bottom-up). */
export function bmpBytes(width: number, height: number): Uint8Array {
  const row = Math.ceil((width * 3) / 4) * 4;
  const size = 54 + row * height;
  const buf = Buffer.alloc(size);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(size, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(row * height, 34);
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) buf[54 + y * row + x] = (x * 31 + y * 17) % 256;
  return new Uint8Array(buf);
}
