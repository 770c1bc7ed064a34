export * from './bootstrap.js';
export * from './app.module.js';
export * from './config/scheduler.config.js';
export * from './common/clock.js';
export * from './database/embedded-postgres.js';
export { LeaseReaperService } from './modules/trials/lease-reaper.service.js';
export { WorkerPushPublisher } from './modules/worker-push/worker-push.publisher.js';
