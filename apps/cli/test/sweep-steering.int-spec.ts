import type { SweepSpecInput } from '@ablate/contracts';
import { startTestPostgres, startTestScheduler, type TestScheduler } from '@ablate/scheduler/testing';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ablate } from './cli-run.js';

/** Four configurations, two of which the budget allows at first; no worker runs, so every trial waits in the queue. */
const spec: SweepSpecInput = {
  name: 'steered from the CLI',
  template: 'mnist-cnn',
  parameters: { dropout: { values: [0, 0.25, 0.5, 0.75] }, epochs: { value: 1 } },
  maxTrials: 2,
  metric: { name: 'val_acc', goal: 'maximize' },
};

describe('ablate sweep pause|resume|stop|cancel|budget|events and ablate trial cancel', () => {
  let stopPg: () => Promise<void>;
  let s: TestScheduler;
  const api = () => ['--api', s.url];
  beforeAll(async () => {
    const server = await startTestPostgres();
    stopPg = server.stop;
    s = await startTestScheduler(server.adminUrl);
  });
  afterAll(async () => {
    await s?.close();
    await stopPg?.();
  });

  it('steers a sweep, records each action with the OS user as its actor, and refuses steering a finished sweep', async () => {
    const sweep = await s.user.createSweep(spec);
    const id = sweep.id;

    const paused = await ablate(['sweep', 'pause', id, ...api()]);
    expect(paused, paused.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringContaining(`Sweep ${id} is paused`) as string,
    });
    expect((await s.user.getSweep(id)).sweep.status).toBe('paused');
    expect((await ablate(['sweep', 'resume', id, ...api()])).stdout).toMatch(
      new RegExp(`Sweep ${id} is (queued|running)`),
    );

    const budget = await ablate(['sweep', 'budget', id, '--max-trials', '4', ...api()]);
    expect(budget.stdout).toContain(`Sweep ${id} may run 4 trials (4 created so far)`);

    const trialId = (await s.user.getSweep(id)).trials.find((t) => t.index === 3)!.id;
    const cancelled = await ablate(['trial', 'cancel', trialId, ...api()]);
    expect(cancelled.stdout).toContain(`Trial ${trialId} (#3 of sweep ${id}) is cancelled`);

    const stopped = await ablate(['sweep', 'stop', id, ...api()]);
    expect(stopped.code).toBe(0);
    expect((await s.user.getSweep(id)).sweep.status).toBe('completed'); // nothing was running: it ends at once

    const events = await ablate(['sweep', 'events', id, ...api()]);
    const lines = events.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual([
      'created',
      'paused',
      'resumed',
      'max_trials_raised',
      'trial_cancelled',
      'stopped',
      'completed',
    ]);
    const user = os.userInfo().username;
    for (const action of ['paused', 'resumed', 'max_trials_raised', 'trial_cancelled', 'stopped']) {
      expect(
        lines.find((l) => l.includes(` ${action} `)),
        action,
      ).toContain(`by ${user} (`);
    }
    const raised = JSON.parse(
      lines.find((l) => l.includes(' max_trials_raised '))!.replace(/^[^{]*/, ''),
    ) as unknown;
    expect(raised).toEqual({ maxTrials: { from: 2, to: 4 } });

    const late = await ablate(['sweep', 'pause', id, ...api()]);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain('Error (sweep_finished)');
    expect(late.stderr).toContain('completed');
  });

  it('refuses a budget that is not a whole number before calling the scheduler, and names an unknown sweep', async () => {
    const bad = await ablate([
      'sweep',
      'budget',
      '00000000-0000-4000-8000-000000000000',
      '--max-trials',
      'lots',
      ...api(),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('give a whole number of trials, at least 1');
    const unknown = await ablate(['sweep', 'cancel', '00000000-0000-4000-8000-000000000000', ...api()]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Error (sweep_not_found)');
  });
});
