export * from './worker.js';
export * from './worker.config.js';
