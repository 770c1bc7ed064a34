export * from './run-trial.types.js';
export * from './run-trial.js';
export * from './backend/index.js';
