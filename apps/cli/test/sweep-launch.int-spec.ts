import {
  startTestPostgres,
  startTestScheduler,
  TEST_WORKER_TOKEN,
  type TestScheduler,
} from '@ablate/scheduler/testing';
import { Worker } from '@ablate/worker';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ablate, startAblate } from './cli-run.js';

const YAML_SPEC = `# dropout x batch norm: four trials
name: from yaml
template: mnist-cnn
parameters:
  dropout: { values: [0, 0.5] }
  batchNorm: { values: [false, true] }
  epochs: { value: 1 }
metric:
  name: val_acc
  goal: maximize
`;

/** A random search of three tiny trials: the follow mode must end once the last one completes. */
const RANDOM_SPEC = `name: followed
template: mnist-cnn
method: random
seed: 7
maxTrials: 3
parameters:
  dropout: { uniform: { min: 0, max: 0.5 } }
  epochs: { value: 1 }
  trainSize: { value: 64 }
  validationSize: { value: 32 }
metric: { name: val_acc, goal: maximize }
`;

describe('ablate sweep launch: YAML or JSON spec files, the API port, follow mode', () => {
  let stopPg: () => Promise<void>;
  let s: TestScheduler;
  let dir: string;
  const file = async (name: string, text: string) => {
    const p = path.join(dir, name);
    await writeFile(p, text);
    return p;
  };
  beforeAll(async () => {
    const server = await startTestPostgres();
    stopPg = server.stop;
    s = await startTestScheduler(server.adminUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), 'ablate-launch-'));
  });
  afterAll(async () => {
    await s?.close();
    await stopPg?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('launches a YAML and a JSON spec; a syntax error names file, line and column; bad fields are listed; nothing is stored for either', async () => {
    const yaml = await ablate([
      'sweep',
      'launch',
      await file('grid.yaml', YAML_SPEC),
      '--no-follow',
      '--api',
      s.url,
    ]);
    expect(yaml, yaml.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/Sweep \S+ created with 4 trials\./) as string,
    });
    const json = await ablate([
      'sweep',
      'launch',
      await file('grid.json', JSON.stringify({ ...baseSpec(), name: 'from json' })),
      '--no-follow',
      '--api',
      s.url,
    ]);
    expect(json.stdout).toMatch(/created with 2 trials/);
    const before = (await s.user.listSweeps()).sweeps.length;

    const broken = await ablate([
      'sweep',
      'launch',
      await file('broken.yaml', 'name: x\nparameters:\n  dropout: [0, 0.5\n'),
      '--api',
      s.url,
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+ is not valid YAML/);
    const brokenJson = await ablate([
      'sweep',
      'launch',
      await file('broken.json', '{\n  "name": "x",\n  oops\n}'),
      '--api',
      s.url,
    ]);
    expect(brokenJson.stderr).toMatch(/broken\.json:3:3 is not valid JSON/);

    const misspelt = `${YAML_SPEC.replace('dropout:', 'dropuot:')}maxTrials: -1\n`;
    const refused = await ablate(['sweep', 'launch', await file('misspelt.yaml', misspelt), '--api', s.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error (validation_failed)');
    expect(refused.stderr).toMatch(/^ {2}parameters\.dropuot: .*dropout/m);
    expect(refused.stderr).toMatch(/^ {2}maxTrials: /m);
    expect((await s.user.listSweeps()).sweeps.length).toBe(before);
  });

  it('prints its version, the one its package declares', async () => {
    const run = await ablate(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe((JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('finds the scheduler on ABLATE_API_PORT when neither --api nor ABLATE_API_URL is given', async () => {
    const port = new URL(s.url).port;
    const listed = await ablate(['sweep', 'list'], { ABLATE_API_PORT: port });
    expect(listed, listed.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('default/from yaml') as string,
    });
    const total = (await s.user.listSweeps()).total!;
    const first = await ablate(['sweep', 'list', '--limit', '1'], { ABLATE_API_PORT: port });
    expect(first.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^[0-9a-f-]{36} /), `(1-1 of ${total}; \`ablate sweep list --offset 1\` for the next page)`]);
    const last = await ablate(['sweep', 'list', '--offset', String(total - 1), '--limit', '1'], { ABLATE_API_PORT: port });
    expect(last.stdout.trim().split('\n')).toHaveLength(1); // the last page says nothing more
    expect(last.stdout).not.toBe(first.stdout);
    const refused = await ablate(['sweep', 'list', '--limit', '500'], { ABLATE_API_PORT: port });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/limit/);
    const nowhere = await ablate(['sweep', 'list'], { ABLATE_API_PORT: '1' });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain('could not reach the scheduler');
  });

  it('follows a random sweep to its end from counts and pushed events, then prints the ranked table', async () => {
    const worker = new Worker(
      { apiUrl: s.url, token: TEST_WORKER_TOKEN, artifactsDir: dir, pollIntervalMs: 100, host: 'cli-test' },
      { log: () => undefined },
    );
    await worker.start();
    try {
      const run = await ablate(['sweep', 'launch', await file('random.yaml', RANDOM_SPEC), '--api', s.url]);
      expect(run.code, run.stderr).toBe(0);
      const table = run.stdout.split('\n').filter((l) => / completed /.test(l));
      expect(table, run.stdout).toHaveLength(3);
      expect(run.stdout).toMatch(/^rank\s+dropout\s+status\s+epoch\s+val_acc/m);
    } finally {
      await worker.stop();
    }
  });

  it('stops following when the sweep is cancelled, and says why', async () => {
    const follow = startAblate([
      'sweep',
      'launch',
      await file('waits.yaml', YAML_SPEC.replace('from yaml', 'never runs')),
      '--api',
      s.url,
    ]);
    await vi.waitFor(() => expect(follow.stdout()).toMatch(/Sweep (\S+) created/), {
      timeout: 20_000,
      interval: 50,
    });
    const id = /Sweep (\S+) created/.exec(follow.stdout())![1]!;
    expect((await ablate(['sweep', 'cancel', id, '--api', s.url])).code).toBe(0);
    const result = await follow.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Sweep cancelled: .+/);
  });
});

function baseSpec() {
  return {
    name: 'x',
    template: 'mnist-cnn',
    parameters: { dropout: { values: [0, 0.5] } },
    metric: { name: 'val_acc', goal: 'maximize' },
  };
}
