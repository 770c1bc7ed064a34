import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, requestedBackend } from './backend-choice.js';
import { activeBackend, initBackend } from './init-backend.js';

describe('initBackend', () => {
  it('picks the fastest available backend (wasm where no native binding is installed)', async () => {
    const name = await initBackend(undefined, {});
    const native = tf.findBackendFactory('tensorflow') !== null;
    expect(name).toBe(native ? 'tensorflow' : 'wasm');
    expect(activeBackend()).toBe(name);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('is idempotent and switches when asked for another backend', async () => {
    expect(await initBackend('cpu', {})).toBe('cpu');
    expect(await initBackend('cpu', {})).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
    expect(await initBackend('wasm', {})).toBe('wasm');
    await tf.setBackend('cpu');
    expect(await initBackend('wasm', {})).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
  });

  it('lets ABLATE_TF_BACKEND override the preference', async () => {
    expect(await initBackend('wasm', { ABLATE_TF_BACKEND: 'cpu' })).toBe('cpu');
    expect(requestedBackend('cpu', { ABLATE_TF_BACKEND: ' wasm ' }).choice).toBe('wasm');
  });

  it('forces the native backend, or fails clearly where it is not installed', async () => {
    const outcome = await initBackend(undefined, { ABLATE_TF_BACKEND: 'tensorflow' }).catch((error: unknown) => error);
    if (tf.findBackendFactory('tensorflow') !== null) {
      expect(outcome).toBe('tensorflow');
      return;
    }
    expect(outcome).toBeInstanceOf(BackendUnavailableError);
    expect((outcome as Error).message).toMatch(/ABLATE_TF_BACKEND=tensorflow.*@tensorflow\/tfjs-node/);
  });

  it('rejects an unknown backend name instead of falling back', () => {
    expect(() => initBackend('webgpu', {})).toThrow(/Unknown preferred backend 'webgpu'/);
    expect(() => requestedBackend(undefined, { ABLATE_TF_BACKEND: 'gpu' })).toThrow(BackendUnavailableError);
  });
});
