import { loadWorkerConfig } from '@ablate/worker';
import { describe, expect, it } from 'vitest';
import { workerEnv } from './worker-options.js';

const TOKEN = 'a-token-of-sixteen-or-more';

describe('ablate worker: flags and environment', () => {
  it('reads every setting from the environment alone', () => {
    const env = {
      ABLATE_API_URL: 'http://sched:4000',
      ABLATE_WORKER_TOKEN: TOKEN,
      ABLATE_GPUS: '0,1',
      ABLATE_TRIALS_PER_GPU: '2',
      ABLATE_CPU_SLOTS: '3',
    };
    const config = loadWorkerConfig(workerEnv({}, env));
    expect(config).toMatchObject({
      apiUrl: 'http://sched:4000',
      token: TOKEN,
      gpus: '0,1',
      trialsPerGpu: 2,
      cpuSlots: 3,
    });
  });

  it('a flag wins over its environment variable, and the rest still come from the environment', () => {
    const env = {
      ABLATE_API_URL: 'http://env:4000',
      ABLATE_WORKER_TOKEN: TOKEN,
      ABLATE_TRIALS_PER_GPU: '4',
      ABLATE_CPU_SLOTS: '3',
    };
    const config = loadWorkerConfig(
      workerEnv({ api: 'http://flag:4000', gpus: 'none', cpuSlots: '1', artifacts: '/tmp/ck' }, env),
    );
    expect(config).toMatchObject({
      apiUrl: 'http://flag:4000',
      token: TOKEN,
      gpus: 'none',
      trialsPerGpu: 4,
      cpuSlots: 1,
      artifactsDir: '/tmp/ck',
    });
  });

  it('leaves the slot counts to the worker when neither gives them (one CPU slot per core without GPUs), and a blank one counts as unset', () => {
    const config = loadWorkerConfig(workerEnv({ api: 'http://s:1', token: TOKEN, cpuSlots: ' ' }, {}));
    expect(config.cpuSlots).toBeUndefined();
    expect(config.trialsPerGpu).toBe(1);
  });

  it('asks for the URL and the token by their flag and variable names', () => {
    expect(() => workerEnv({}, {})).toThrow(
      /needs --api URL \(or ABLATE_API_URL\) and --token T \(or ABLATE_WORKER_TOKEN/,
    );
    expect(() => workerEnv({ api: 'http://s:1' }, {})).toThrow(/needs --token T/);
  });

  it('says which slot count is not a number, not a whole number or out of range, by flag', () => {
    const bad = (flags: Record<string, string>) => () =>
      loadWorkerConfig(workerEnv({ api: 'http://s:1', token: TOKEN, ...flags }, {}));
    expect(bad({ cpuSlots: 'two' })).toThrow('ABLATE_CPU_SLOTS (--cpu-slots) must be a number, e.g. 2');
    expect(bad({ trialsPerGpu: '1.5' })).toThrow(
      'ABLATE_TRIALS_PER_GPU (--trials-per-gpu) must be a whole number',
    );
    expect(bad({ trialsPerGpu: '0' })).toThrow('ABLATE_TRIALS_PER_GPU (--trials-per-gpu) must be at least 1');
    expect(bad({ cpuSlots: '-1' })).toThrow('ABLATE_CPU_SLOTS (--cpu-slots) must be at least 0');
    expect(bad({ api: 'localhost 4000' })).toThrow('ABLATE_API_URL (--api) must be the scheduler URL');
  });

  it('refuses a cache bound it cannot read at start, saying what to write', () => {
    const env = (bound: string) => ({ ...workerEnv({ api: 'http://s:1', token: TOKEN }, {}), ABLATE_CACHE_MAX_GB: bound });
    expect(() => loadWorkerConfig(env('lots'))).toThrow(
      'ABLATE_CACHE_MAX_GB=lots: write the most gigabytes each cache kind may hold, such as 10 or 0.5, or off for no bound',
    );
    expect(() => loadWorkerConfig(env('0.5'))).not.toThrow();
    expect(() => loadWorkerConfig(env('off'))).not.toThrow();
  });

  it('reads the least period between checkpoint uploads in seconds (every epoch by default)', () => {
    const base = workerEnv({ api: 'http://s:1', token: TOKEN }, {});
    expect(loadWorkerConfig(base).checkpointMinPeriodMs).toBe(0);
    expect(loadWorkerConfig({ ...base, ABLATE_CHECKPOINT_MIN_PERIOD_S: '30' }).checkpointMinPeriodMs).toBe(30_000);
    expect(() => loadWorkerConfig({ ...base, ABLATE_CHECKPOINT_MIN_PERIOD_S: 'soon' })).toThrow('ABLATE_CHECKPOINT_MIN_PERIOD_S must be a number, e.g. 2');
  });
});
