import { SeededRng } from './rng.js';

/**
 * Independent RNG streams derived from a trial seed: one for weight initialization, one for the
 * training loop (shuffles, dropout, augmentation). Keeping them apart means a change in how many
 * numbers one stream draws never shifts the other.
 */
export function trialRngs(seed: number): { init: SeededRng; train: SeededRng } {
  return { init: new SeededRng(mix(seed, 1)), train: new SeededRng(mix(seed, 2)) };
}

function mix(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x85ebca6b, 0xc2b2ae35) ^ Math.imul(stream, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}
