import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, SystemClock } from './common/clock.js';
import { WorkerAuthGuard } from './common/worker-auth.guard.js';
import { WorkerIdentityGuard } from './common/worker-identity.guard.js';
import { SCHEDULER_CONFIG, type SchedulerConfig } from './config/scheduler.config.js';
import { typeormOptions } from './database/typeorm.options.js';
import { AnalysisController } from './modules/analysis/analysis.controller.js';
import { AnalysisRepository } from './modules/analysis/analysis.repository.js';
import { AnalysisService } from './modules/analysis/analysis.service.js';
import { SweepDownloadService } from './modules/analysis/sweep-download.service.js';
import { ArchiveController } from './modules/archive/archive.controller.js';
import { ArtifactJanitor } from './modules/artifacts/artifact-janitor.service.js';
import { ArtifactsController } from './modules/artifacts/artifacts.controller.js';
import { ArtifactsRepository } from './modules/artifacts/artifacts.repository.js';
import { ArtifactsService } from './modules/artifacts/artifacts.service.js';
import { TrialModelController } from './modules/trial-model/trial-model.controller.js';
import { TrialModelService } from './modules/trial-model/trial-model.service.js';
import { ArchiveRepository } from './modules/archive/archive.repository.js';
import { ArchiveService } from './modules/archive/archive.service.js';
import { HealthController } from './modules/health/health.controller.js';
import { LeaderboardController } from './modules/leaderboard/leaderboard.controller.js';
import { LeaderboardRepository } from './modules/leaderboard/leaderboard.repository.js';
import { LeaderboardService } from './modules/leaderboard/leaderboard.service.js';
import { LiveGateway } from './modules/live/live.gateway.js';
import { LivePublisher } from './modules/live/live.publisher.js';
import { ChangePublisher } from './modules/sweeps/change.publisher.js';
import { SweepEventsRepository } from './modules/sweeps/sweep-events.repository.js';
import { SweepFollowUps } from './modules/sweeps/sweep-follow-up.repository.js';
import { SweepRefill } from './modules/sweeps/sweep-refill.repository.js';
import { SweepSteeringRepository } from './modules/sweeps/sweep-steering.repository.js';
import { SweepSteeringService } from './modules/sweeps/sweep-steering.service.js';
import { SweepsController } from './modules/sweeps/sweeps.controller.js';
import { SweepsRepository } from './modules/sweeps/sweeps.repository.js';
import { SweepsService } from './modules/sweeps/sweeps.service.js';
import { TemplatesController } from './modules/templates/templates.controller.js';
import { LeaseReaperService } from './modules/trials/lease-reaper.service.js';
import { LeasesRepository } from './modules/trials/leases.repository.js';
import { LockedReports } from './modules/trials/locked-reports.repository.js';
import { TrialMoves } from './modules/trials/trial-moves.repository.js';
import { ReportsRepository } from './modules/trials/reports.repository.js';
import { TrialsController } from './modules/trials/trials.controller.js';
import { TrialsRepository } from './modules/trials/trials.repository.js';
import { TrialsService } from './modules/trials/trials.service.js';
import { WorkerCredentials } from './modules/workers/worker-credentials.service.js';
import { WorkersController } from './modules/workers/workers.controller.js';
import { WorkersRepository } from './modules/workers/workers.repository.js';
import { WorkersService } from './modules/workers/workers.service.js';
import { SweepPlacement } from './modules/workers/sweep-placement.repository.js';
import { OpenApiController } from './modules/openapi/openapi.controller.js';
import { TrialLogPublisher } from './modules/trial-logs/trial-log.publisher.js';
import { TrialLogsController } from './modules/trial-logs/trial-logs.controller.js';
import { TrialLogsGateway } from './modules/trial-logs/trial-logs.gateway.js';
import { TrialLogsRepository } from './modules/trial-logs/trial-logs.repository.js';
import { TrialLogsService } from './modules/trial-logs/trial-logs.service.js';
import { TrialDetailController } from './modules/trial-detail/trial-detail.controller.js';
import { TrialDetailService } from './modules/trial-detail/trial-detail.service.js';
import { TrialRunsRepository } from './modules/trial-detail/trial-runs.repository.js';
import { WorkerPushGateway } from './modules/worker-push/worker-push.gateway.js';
import { WorkerPushPublisher } from './modules/worker-push/worker-push.publisher.js';

export interface AppModuleOptions {
  config: SchedulerConfig;
  /** Replace the clock (tests drive lease expiry with a manual one). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [TypeOrmModule.forRoot(typeormOptions(config.databaseUrl, config.migrate ?? true))],
      controllers: [SweepsController, TrialsController, WorkersController, TemplatesController, HealthController, ArchiveController, ArtifactsController, LeaderboardController, OpenApiController, TrialLogsController, AnalysisController, TrialDetailController, TrialModelController],
      providers: [
        { provide: SCHEDULER_CONFIG, useValue: config },
        { provide: Clock, useValue: clock ?? new SystemClock() },
        WorkerAuthGuard,
        WorkerIdentityGuard,
        LivePublisher,
        LiveGateway,
        LeaderboardRepository,
        LeaderboardService,
        ChangePublisher,
        SweepEventsRepository,
        SweepRefill,
        SweepFollowUps,
        SweepSteeringRepository,
        SweepSteeringService,
        SweepsRepository,
        SweepsService,
        TrialsRepository,
        TrialMoves,
        LeasesRepository,
        LockedReports,
        ReportsRepository,
        TrialsService,
        LeaseReaperService,
        WorkersRepository,
        WorkerCredentials,
        WorkersService,
        SweepPlacement,
        WorkerPushPublisher,
        WorkerPushGateway,
        ArchiveRepository,
        ArtifactsRepository,
        ArtifactsService,
        ArtifactJanitor,
        ArchiveService,
        AnalysisRepository,
        AnalysisService,
        SweepDownloadService,
        TrialLogsRepository,
        TrialLogPublisher,
        TrialLogsService,
        TrialLogsGateway,
        TrialRunsRepository,
        TrialDetailService,
        TrialModelService,
      ],
    };
  }
}
