import { ApiClient, type SweepSpecInput, type TemplateParam } from '@ablate/contracts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestScheduler, type TestScheduler } from '../src/testing/index.js';
import { registerWorker, type RegisteredWorker } from './registered-worker.js';
import { complete, leaseFrom } from './sweep-driver.js';

const metric = { name: 'val_acc', goal: 'maximize' } as const;
const tiny = (name: string, project = 'paging'): SweepSpecInput => ({ name, project, template: 'mnist-cnn', parameters: { seed: { values: [0, 1] } }, maxRetries: 0, metric });

describe('the sweeps list (pages, best score, who launched, failed) and the templates\' knobs', () => {
  let s: TestScheduler;
  let w: RegisteredWorker;
  beforeAll(async () => {
    s = await startTestScheduler(inject('pgAdminUrl'));
    w = await registerWorker(s, 'list');
  });
  afterAll(async () => s.close());

  it('describes each template\'s knobs from its zod schema: type, default, range, choices, required, doc', async () => {
    const { templates } = await s.user.listTemplates();
    const knobs = (name: string) => new Map((templates.find((t) => t.name === name)?.params ?? []).map((p) => [p.name, p]));
    const cifar = knobs('cifar10-cnn');
    expect(cifar.get('dropout')).toEqual<TemplateParam>({
      name: 'dropout', type: 'number', default: 0, min: 0, max: 0.9, required: false,
      description: 'Dropout rate before each dense layer (the course uses 0.3), 0 disables it.',
    });
    expect(cifar.get('batchNorm')).toMatchObject({ type: 'boolean', default: false, required: false });
    expect(cifar.get('standardization')).toMatchObject({ type: 'choice', choices: ['auto', 'none', 'range', 'zscore'], default: 'auto' });
    expect(cifar.get('epochs')).toMatchObject({ type: 'integer', min: 1, max: 500 });
    // Shared params carry their const's comment; an exclusive bound says so.
    expect(cifar.get('learningRate')).toMatchObject({ type: 'number', min: 0, minExclusive: true, max: 1, description: 'Adam learning rate.' });
    expect(cifar.get('seed')?.description).toMatch(/^Seed for weights/);
    const command = templates.find((t) => t.name === 'command');
    expect(command?.openParams).toBe(true);
    expect(knobs('command').get('command')).toMatchObject({ type: 'string', required: true });
    expect(templates.find((t) => t.name === 'mnist-cnn')?.openParams).toBe(false);
    // Every knob of every template is documented, so the form never shows a bare name.
    const undocumented = templates.flatMap((t) => (t.params ?? []).filter((p) => !p.description).map((p) => `${t.name}.${p.name}`));
    expect(undocumented).toEqual([]);
  });

  it('pages through the sweeps newest first, with the total, by project', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await s.user.createSweep(tiny(`page ${i}`))).id);
    await s.user.createSweep(tiny('elsewhere', 'other-project'));
    const first = await s.user.listSweeps({ project: 'paging', limit: 2 });
    const second = await s.user.listSweeps({ project: 'paging', limit: 2, offset: 2 });
    const last = await s.user.listSweeps({ project: 'paging', limit: 2, offset: 4 });
    expect(first.total).toBe(5);
    expect([...first.sweeps, ...second.sweeps, ...last.sweeps].map((x) => x.id)).toEqual([...ids].reverse());
    const all = await s.user.listSweeps();
    expect(all.total).toBe(6);
    expect(all.projects).toEqual(expect.arrayContaining([{ slug: 'paging', sweeps: 5 }, { slug: 'other-project', sweeps: 1 }]));
    const refused = await fetch(`${s.url}/api/sweeps?limit=500`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/limit/);
  });

  it('lists each sweep with its best score and who launched it; a sweep whose every trial failed is failed with its most common error', async () => {
    const ada = new ApiClient({ baseUrl: s.url, actor: 'ada' });
    // Finish the paging sweeps first, so leases come from the sweeps of this test.
    for (const x of (await s.user.listSweeps()).sweeps) await s.user.cancelSweep(x.id);
    const good = await ada.createSweep(tiny('scored', 'best'));
    for (const score of [0.61, 0.74]) await complete(w, (await leaseFrom(w, good.id)).id, 1, score);
    const doomed = await ada.createSweep(tiny('doomed', 'best'));
    for (const error of ['dataset missing', 'dataset missing']) {
      const t = await leaseFrom(w, doomed.id);
      await w.api.report(t.id, { type: 'failed', workerId: w.workerId, error, retryable: false });
    }
    const { sweeps } = await s.user.listSweeps({ project: 'best' });
    expect(sweeps.map((x) => [x.name, x.status, x.best, x.launchedBy, x.reason])).toEqual([
      ['doomed', 'failed', null, expect.stringMatching(/^ada/), 'every trial failed; most common error (2 of 2): dataset missing'],
      ['scored', 'completed', 0.74, expect.stringMatching(/^ada/), null],
    ]);
  });
});
