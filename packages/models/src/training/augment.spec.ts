import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { augmentImages, randomAffine } from './augment.js';
import { SeededRng } from './rng.js';

const none = { rotation: 0, widthShift: 0, heightShift: 0, shear: 0, zoom: 0, horizontalFlip: false };

describe('augmentation', () => {
  it('is the identity at zero strength and mirrors with a flip', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1]);
    const same = augmentImages(none)(x, new SeededRng(1));
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
    const flipped = augmentImages({ ...none, horizontalFlip: true });
    const rng = new SeededRng(1);
    const outs = [0, 1, 2, 3, 4, 5].map(() => flipped(x, rng));
    const mirrored = Array.from(tf.reverse(x, 2).dataSync());
    expect(outs.some((o) => Array.from(o.dataSync()).join() === mirrored.join())).toBe(true);
    tf.dispose([x, same, ...outs]);
  });

  it('draws within the asked ranges, from the seeded RNG', () => {
    const o = { ...none, rotation: 15, zoom: 0.15 };
    const a = randomAffine(o, 32, 32, new SeededRng(9));
    expect(randomAffine(o, 32, 32, new SeededRng(9))).toEqual(a);
    const scale = Math.hypot(a[0]!, a[3]!);
    expect(scale).toBeGreaterThan(0.85 - 1e-9);
    expect(scale).toBeLessThan(1.15 + 1e-9);
  });
});
