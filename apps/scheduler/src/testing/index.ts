export * from './test-database.js';
export * from './test-scheduler.js';
export { keepExitCode } from './keep-exit-code.js';
export { default as globalSetup } from './global-setup.js';
