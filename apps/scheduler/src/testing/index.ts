export * from './test-database.js';
export * from './test-scheduler.js';
export { default as globalSetup } from './global-setup.js';
