import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * Points the wasm backend at the .wasm binaries of the installed package. In Node the backend cannot find them
 * on its own (it looks next to the page URL), so we resolve `@tensorflow/tfjs-backend-wasm`'s `dist/` folder.
 * Importing the package also registers the `wasm` backend and its kernels.
 */
export function configureWasmBackend(): void {
  const require = createRequire(import.meta.url);
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  // setWasmPaths concatenates prefix + file name, so it needs a trailing separator.
  setWasmPaths(`${distDir}${path.sep}`);
}

/** Switches to wasm; returns '' on success, else why it failed (not an exception: auto mode falls back). */
export async function trySetWasm(): Promise<string> {
  try {
    return (await tf.setBackend('wasm')) ? '' : 'tf.setBackend("wasm") returned false';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
