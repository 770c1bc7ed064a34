// Entry of Ablate's WebAssembly SIMD kernels (built by `npm run build:wasm` into wasm/ablate-kernels.wasm).
export { conv2dFilterGrad } from './conv2d-filter-grad';
export { adamUpdate, reluGrad } from './elementwise';
export { affine2, channelSums } from './batch-norm';
