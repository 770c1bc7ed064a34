import type {
  RunningTrial,
  TrialEvent,
  TrialLaunch,
  TrialLauncher,
  TrialOutcome,
} from '../../src/trial-process/trial-process.js';

/** A trial "process" the spec drives by hand: it emits events and ends when told, and records stops. */
export class FakeTrial implements RunningTrial {
  readonly pid = undefined;
  readonly outcome: Promise<TrialOutcome>;
  /** Grace of every `stop` call. */
  readonly stops: number[] = [];
  private listener: ((e: TrialEvent) => void) | null = null;
  private readonly early: TrialEvent[] = [];
  private finish!: (o: TrialOutcome) => void;

  constructor(readonly launch: TrialLaunch) {
    this.outcome = new Promise((resolve) => (this.finish = resolve));
  }

  onEvent(listener: (e: TrialEvent) => void): void {
    this.listener = listener;
    for (const e of this.early.splice(0)) listener(e);
  }

  emit(e: TrialEvent): void {
    if (this.listener) this.listener(e);
    else this.early.push(e);
  }

  end(outcome: TrialOutcome): void {
    this.finish(outcome);
  }

  /** Like a template child: SIGTERM makes it stop. */
  stop(graceMs: number): Promise<void> {
    this.stops.push(graceMs);
    this.finish({ type: 'stopped' });
    return this.outcome.then(() => undefined);
  }
}

/** A launcher that hands out `FakeTrial`s and keeps them, in launch order. */
export function fakeLauncher(): {
  launcher: TrialLauncher;
  trials: FakeTrial[];
  byId: (id: string) => FakeTrial | undefined;
} {
  const trials: FakeTrial[] = [];
  return {
    trials,
    byId: (id) => trials.find((t) => t.launch.trial.id === id),
    launcher: (launch) => {
      const t = new FakeTrial(launch);
      trials.push(t);
      return t;
    },
  };
}
