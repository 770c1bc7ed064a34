export * from './run-trial.types.js';
export * from './run-trial.js';
export { TrialError, toTrialError } from './trial-error.js';
export * from './backend/index.js';
export * from './datasets/index.js';
export * from './training/index.js';
export { templateRunners, type TemplateContext, type TemplateResult, type TemplateRunner } from './templates/index.js';
export { fileModelHandler, localModelPath } from './templates/model-files.js';
export * from './export/index.js';
