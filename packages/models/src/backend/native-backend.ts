import * as tf from '@tensorflow/tfjs';

/** Native bindings in the order tried: the CUDA build first, then the CPU build. Both are optional peer deps. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface NativeLoadResult {
  /** The package that registered the `tensorflow` backend, or undefined when none could be used. */
  loadedFrom?: string;
  /** Why each package could not be used (not installed, libtensorflow missing, second tfjs-core copy). */
  failures: string[];
}

/**
 * Imports the first native binding that loads and registers `tensorflow` with *our* tfjs-core.
 *
 * tfjs-node brings its own `@tensorflow/tfjs` dependency. When npm hoists it (same 4.x version as ours) the
 * backend lands in the engine this package uses; when it ends up with a nested copy the backend registers in
 * that other engine, invisible to our models, so we report it as unusable instead of training on the wrong one.
 * `importPackage` is the dynamic import (replaceable in tests: the real packages cannot be installed in CI).
 */
export async function loadNativeBackend(importPackage: (specifier: string) => Promise<unknown> = (specifier) => import(specifier)): Promise<NativeLoadResult> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    if (tf.findBackendFactory('tensorflow')) return { loadedFrom: pkg, failures };
    try {
      // A variable specifier keeps TypeScript and bundlers from requiring the optional package at build time.
      await importPackage(pkg);
    } catch (error) {
      failures.push(`${pkg}: ${firstLine(error)}`);
      continue;
    }
    if (tf.findBackendFactory('tensorflow')) return { loadedFrom: pkg, failures };
    failures.push(`${pkg}: loaded, but registered its backend in a different @tensorflow/tfjs-core copy (align versions with @tensorflow/tfjs ${tf.version_core})`);
  }
  return { failures };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
