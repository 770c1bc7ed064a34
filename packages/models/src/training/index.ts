export * from './rng.js';
export * from './losses.js';
export * from './evaluate.js';
export * from './checkpoint.js';
export * from './train-loop.js';
export * from './seeded-dropout.js';
export * from './seeds.js';
export * from './augment.js';
