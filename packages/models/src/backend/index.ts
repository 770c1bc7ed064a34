export { initBackend, activeBackend } from './init-backend.js';
export { BACKEND_CHOICES, BACKEND_ENV_VAR, BackendUnavailableError, type BackendChoice } from './backend-choice.js';
export * from '../kernels/index.js';
export * from '../layers/index.js';
