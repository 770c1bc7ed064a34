import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeBackend } from './native-backend.js';

/*
 * The native packages download libtensorflow when installed, which cannot happen in CI, so these tests stand in
 * for them at the import: what is tested is the loader's order and its verdicts, not libtensorflow.
 */
/** What tfjs-node does on import when it shares our tfjs-core: register a `tensorflow` backend (here a cpu one). */
function registerStandIn(): Promise<void> {
  const CpuBackend = tf.findBackend('cpu').constructor as new () => tf.KernelBackend;
  tf.registerBackend('tensorflow', () => new CpuBackend());
  return Promise.resolve();
}

describe('loadNativeBackend', () => {
  afterEach(() => {
    if (tf.findBackendFactory('tensorflow')) tf.removeBackend('tensorflow');
  });

  it('tries the GPU build first, then the CPU build, and reports why each one could not be used', async () => {
    const tried: string[] = [];
    const result = await loadNativeBackend((pkg) => {
      tried.push(pkg);
      if (pkg === '@tensorflow/tfjs-node-gpu') return Promise.reject(new Error(`Cannot find package '${pkg}'\n  at resolve`));
      return registerStandIn();
    });
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    expect(result).toEqual({ loadedFrom: '@tensorflow/tfjs-node', failures: ["@tensorflow/tfjs-node-gpu: Cannot find package '@tensorflow/tfjs-node-gpu'"] });
  });

  it('stops at the GPU build when it loads', async () => {
    const tried: string[] = [];
    const result = await loadNativeBackend((pkg) => {
      tried.push(pkg);
      return registerStandIn();
    });
    expect(tried).toEqual(['@tensorflow/tfjs-node-gpu']);
    expect(result.loadedFrom).toBe('@tensorflow/tfjs-node-gpu');
  });

  it('refuses a binding that registered its backend in another tfjs-core copy', async () => {
    // Loads fine, but (a nested @tensorflow/tfjs) registers nothing in the engine our models use.
    const result = await loadNativeBackend(() => Promise.resolve());
    expect(result.loadedFrom).toBeUndefined();
    expect(result.failures).toHaveLength(2);
    expect(result.failures[0]).toMatch(/@tensorflow\/tfjs-node-gpu: loaded, but registered its backend in a different @tensorflow\/tfjs-core copy/);
  });
});
