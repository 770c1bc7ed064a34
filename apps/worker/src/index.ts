export * from './worker.js';
export * from './worker.config.js';
export * from './run-worker.js';
export type { GpuProbe, GpuStat } from './gpu/gpu-probe.js';
export type {
  TrialLauncher,
  TrialLaunch,
  RunningTrial,
  TrialEvent,
  TrialOutcome,
} from './trial-process/trial-process.js';
