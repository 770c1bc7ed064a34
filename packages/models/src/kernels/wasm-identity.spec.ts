import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';

interface WasmData {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined; has(dataId: object): boolean };
}

describe('Identity on wasm', () => {
  beforeAll(async () => {
    expect(await initBackend('wasm')).toBe('wasm');
  });

  it('shares the data of its input, which outlives whichever tensor is disposed first', () => {
    const backend = tf.backend() as unknown as WasmData;
    const before = tf.memory().numBytes;
    const x = tf.tensor1d([1, 2, 3, 4, 5]);
    const y = x.clone();
    expect(backend.dataIdMap.get(y.dataId)?.memoryOffset).toBe(backend.dataIdMap.get(x.dataId)?.memoryOffset);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5]);
    const z = tf.add(y, 1);
    y.dispose();
    expect(backend.dataIdMap.has(x.dataId)).toBe(false);
    expect(Array.from(z.dataSync())).toEqual([2, 3, 4, 5, 6]);
    z.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('still copies strings', () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = s.clone();
    s.dispose();
    expect(c.arraySync()).toEqual(['a', 'b']);
    c.dispose();
  });
});
