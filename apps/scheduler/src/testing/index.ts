export * from './test-database.js';
export * from './test-scheduler.js';
