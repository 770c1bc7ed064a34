import type { RunTrialOptions, RunTrialResult } from '../run-trial.types.js';

/** What a template runner gets: the trial's options with its params parsed by the template's schema. */
export interface TemplateContext<P> extends Omit<RunTrialOptions, 'params' | 'template'> {
  params: P;
  /** The sweep's metric when the template reports it every epoch, else undefined (training picks its default). */
  objective?: { name: string; goal: 'minimize' | 'maximize' };
  /** Dataset cache folder, resolved (never undefined). */
  dataDir: string;
}

/** Result of a template run; `runTrial` adds the backend. */
export type TemplateResult = Omit<RunTrialResult, 'backend'>;

/** Runs one trial of one template. */
export type TemplateRunner<P> = (ctx: TemplateContext<P>) => Promise<TemplateResult>;
