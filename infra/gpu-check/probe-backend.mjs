// A GPU backend for the built-in (TF.js) templates: `webgpu` (Dawn for Node, prebuilt binaries)
// with `@tensorflow/tfjs-backend-webgpu`, and `@tensorflow/tfjs-node-gpu` (CUDA, needs libtensorflow
// downloaded at install). Prints one JSON object; exits 1 when a backend is installed but fails.
import { performance } from 'node:perf_hooks';

const out = { webgpu: null, tfjsNodeGpu: null };
let broken = false;

async function matMulGflops(tf, n = 1024) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  await tf.matMul(a, b).data(); // warm-up (shader compilation)
  const reps = 5;
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await tf.matMul(a, b).data();
  return (2 * n ** 3 * reps) / ((performance.now() - t0) / 1000) / 1e9;
}

try {
  const { create, globals } = await import('webgpu');
  try {
    Object.assign(globalThis, globals);
    globalThis.navigator = { gpu: create([]) };
    const adapter = await globalThis.navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('Dawn found no GPU adapter (is a Vulkan driver installed? NVIDIA ships one with the driver)');
    const info = adapter.info ?? {};
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") returned false');
    await tf.ready();
    out.webgpu = { status: 'ok', adapter: `${info.vendor ?? '?'} ${info.architecture ?? ''} ${info.description ?? ''}`.trim(), matMul1024Gflops: Number((await matMulGflops(tf)).toFixed(1)) };
  } catch (err) {
    broken = true;
    out.webgpu = { status: 'failed', error: String(err?.message ?? err) };
  } finally {
    delete globalThis.navigator; // Dawn keeps Node alive while it is referenced
  }
} catch {
  out.webgpu = { status: 'not installed', hint: 'npm install --no-save webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0 (needs the npm registry)' };
}

try {
  const tf = await import('@tensorflow/tfjs-node-gpu');
  try {
    out.tfjsNodeGpu = { status: 'ok', backend: tf.getBackend(), matMul1024Gflops: Number((await matMulGflops(tf)).toFixed(1)) };
  } catch (err) {
    broken = true;
    out.tfjsNodeGpu = { status: 'failed', error: String(err?.message ?? err) };
  }
} catch (err) {
  const missing = err?.code === 'ERR_MODULE_NOT_FOUND';
  if (!missing) broken = true;
  out.tfjsNodeGpu = missing
    ? { status: 'not installed', hint: 'npm install --no-save @tensorflow/tfjs-node-gpu (downloads libtensorflow with CUDA at install: needs the network)' }
    : { status: 'failed', error: String(err?.message ?? err) };
}

console.log(JSON.stringify(out));
process.exit(broken ? 1 : 0);
