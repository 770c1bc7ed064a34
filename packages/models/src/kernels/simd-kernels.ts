import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tf from '@tensorflow/tfjs';
import { WasmHeap } from './wasm-heap.js';

/** Exports of wasm/ablate-kernels.wasm (source: packages/models/assembly). Pointers are byte offsets. */
export interface AblateSimdKernels {
  conv2dFilterGrad(
    x: number, dy: number, out: number,
    n: number, h: number, w: number, ci: number,
    oh: number, ow: number, co: number,
    kh: number, kw: number, sh: number, sw: number, dh: number, dw: number, pt: number, pl: number,
  ): void;
  reluGrad(dy: number, x: number, out: number, n: number): void;
  channelSums(u: number, v: number, rows: number, c: number, scratch: number): void;
  affine2(out: number, u: number, v: number, rows: number, c: number, coef: number): void;
  adamUpdate(
    p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, n: number,
    lr: number, b1: number, b2: number, eps: number, c1: number, c2: number,
  ): void;
}

/**
 * Built by `npm run build:wasm` (part of `npm run build`) into packages/models/wasm/: found by walking up from
 * this module, which runs from src/ (tests), dist/ (the product) or dist/bench/src/ (bench and scripts).
 */
export function simdKernelsFile(): string {
  const name = path.join('wasm', 'ablate-kernels.wasm');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
    dir = path.dirname(dir);
  }
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', name);
}

interface WasmBackendMemory {
  wasm?: { asm?: { memory?: unknown } };
}

/** The slice of the WebAssembly JS API used here (Node has it; @types/node 20 does not declare it). */
export interface WebAssemblyApi {
  Module: (new (bytes: Uint8Array) => object) & { imports(module: object): { module: string; name: string; kind: string }[] };
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => { buffer: ArrayBuffer };
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: object | null | undefined;
const instances = new WeakMap<object, AblateSimdKernels | null>();

/**
 * Ablate's SIMD kernels instantiated on the memory of a tfjs-backend-wasm backend, so they read and write
 * its tensors in place (the module imports that memory and has no data of its own). Null where they cannot
 * run: the file is not built, the engine has no wasm SIMD, or the backend does not expose its memory;
 * callers then keep the kernels composed from XNNPACK operators.
 */
export function simdKernelsFor(backend: unknown): AblateSimdKernels | null {
  const memory = (backend as WasmBackendMemory).wasm?.asm?.memory;
  if (!(memory instanceof wasmApi.Memory)) return null;
  const module = compiledModule();
  if (!module) return null;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    try {
      kernels = new wasmApi.Instance(module, { env: { memory } }).exports as AblateSimdKernels;
    } catch (error) {
      // E.g. the threaded wasm build, whose shared memory this module does not import.
      process.emitWarning(`Ablate's SIMD kernels cannot run on this wasm backend (${error instanceof Error ? error.message : String(error)}); using slower kernels.`);
      kernels = null;
    }
    instances.set(memory, kernels);
  }
  return kernels;
}

/** Whether the SIMD kernels are built and compile on this engine (tests assert it, so a missing build fails). */
export function simdKernelsAvailable(): boolean {
  return compiledModule() !== null;
}

function compiledModule(): object | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new wasmApi.Module(fs.readFileSync(simdKernelsFile()));
  } catch (error) {
    compiled = null;
    process.emitWarning(
      `Ablate's SIMD kernels are not used (${error instanceof Error ? error.message : String(error)}); training on wasm ` +
        'falls back to slower kernels. Run `npm run build` in packages/models to build them.',
    );
  }
  return compiled;
}

/**
 * A wasm kernel config that runs `simdBody` on Ablate's SIMD kernels, and `fallback` (the same kernel in JS or
 * composed from backend kernels) where they cannot run or where `simdBody` declines the inputs by returning null
 * (before allocating anything).
 */
export function simdKernelConfig(
  fallback: tf.KernelConfig,
  simdBody: (simd: AblateSimdKernels, heap: WasmHeap, args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo[] | null,
): tf.KernelConfig {
  return {
    ...fallback,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const simd = simdKernelsFor(args.backend);
      return (simd && simdBody(simd, new WasmHeap(args.backend), args)) ?? fallback.kernelFunc(args);
    },
  };
}
