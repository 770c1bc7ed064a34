import type { TrialLauncher } from '../trial-process/trial-process.js';
import { CommandTrial, type CommandTrialOptions } from './command-trial.js';

export type CommandLauncherOptions = CommandTrialOptions;

/**
 * The launcher of `template: "command"` trials: each runs the user's program in its own process
 * (docs/command-trials.md). Programs run only as the policy allows (ABLATE_ALLOW_COMMANDS).
 */
export function commandLauncher(o: CommandLauncherOptions): TrialLauncher {
  return (launch) => new CommandTrial(launch, o);
}
