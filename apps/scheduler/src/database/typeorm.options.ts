import type { DataSourceOptions } from 'typeorm';
import { InitialSchema1764201600000 } from '../migrations/1764201600000-initial-schema.js';
import { WorkerSecrets1796000000000 } from '../migrations/1796000000000-worker-secrets.js';
import { SweepStatusCounts1796000000001 } from '../migrations/1796000000001-sweep-status-counts.js';
import { TrialRevision1796000000002 } from '../migrations/1796000000002-trial-revision.js';
import { SweepSearchAndSteering1796000000010 } from '../migrations/1796000000010-sweep-search-and-steering.js';
import { TrialStatusReasonAndConfiguration1796000000011 } from '../migrations/1796000000011-trial-status-reason-and-configuration.js';
import { SweepEvents1796000000012 } from '../migrations/1796000000012-sweep-events.js';
import { PrunerState1796000000013 } from '../migrations/1796000000013-pruner-state.js';
import { LeaderboardIndex1796000000030 } from '../migrations/1796000000030-leaderboard-index.js';
import { WorkerResources1796000000040 } from '../migrations/1796000000040-worker-resources.js';
import { TrialLogs1796000000041 } from '../migrations/1796000000041-trial-logs.js';
import { SweepNeededGpus1796000000045 } from '../migrations/1796000000045-sweep-needed-gpus.js';
import { TrialRuns1796000000050 } from '../migrations/1796000000050-trial-runs.js';
import { ScoreStep1796000000055 } from '../migrations/1796000000055-score-step.js';
import { WorkerCommands1796000000058 } from '../migrations/1796000000058-worker-commands.js';
import { StepBestsLockOrder1796000000060 } from '../migrations/1796000000060-step-bests-lock-order.js';
import { WorkerVersion1796000000061 } from '../migrations/1796000000061-worker-version.js';
import { ProjectEntity } from '../modules/projects/project.entity.js';
import { SweepEntity } from '../modules/sweeps/sweep.entity.js';
import { MetricPointEntity } from '../modules/trials/metric-point.entity.js';
import { TrialEntity } from '../modules/trials/trial.entity.js';
import { WorkerEntity } from '../modules/workers/worker.entity.js';

export const entities = [ProjectEntity, SweepEntity, TrialEntity, MetricPointEntity, WorkerEntity];
export const migrations = [
  InitialSchema1764201600000,
  WorkerSecrets1796000000000,
  SweepStatusCounts1796000000001,
  TrialRevision1796000000002,
  SweepSearchAndSteering1796000000010,
  TrialStatusReasonAndConfiguration1796000000011,
  SweepEvents1796000000012,
  PrunerState1796000000013,
  // Keep in timestamp order: 1796000000010-019 (scheduler core) go above this line.
  LeaderboardIndex1796000000030,
  WorkerResources1796000000040,
  TrialLogs1796000000041,
  SweepNeededGpus1796000000045,
  TrialRuns1796000000050,
  ScoreStep1796000000055,
  WorkerCommands1796000000058,
  StepBestsLockOrder1796000000060,
  WorkerVersion1796000000061,
];

/** TypeORM options: migrations, never `synchronize`. */
export function typeormOptions(url: string, migrate = true): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: migrate,
    synchronize: false,
    // 20, not 10: a burst of status changes on one sweep waits for its row in PostgreSQL, each
    // waiter on a connection; the epoch reports of other trials need free ones meanwhile.
    extra: { max: 20 },
  };
}
