// The packed sweep of infra/gpu-check/run.sh: a scheduler (embedded PostgreSQL), the real agent
// (`ablate worker`, its nvidia-smi probe), a sweep of command trials on the GPUs (two waves of
// every slot), nvidia-smi sampled every 500 ms meanwhile. Writes <out>/summary.json; exits 1 with
// what went wrong when a check fails.
import { startTestPostgres, startTestScheduler, TEST_WORKER_TOKEN } from '@ablate/scheduler/testing';
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { values: o } = parseArgs({ options: { out: { type: 'string' }, 'trials-per-gpu': { type: 'string', default: '2' }, seconds: { type: 'string', default: '20' }, 'dry-run': { type: 'boolean', default: false } } });
const out = o.out ?? path.join(process.env.TMPDIR ?? '/tmp', 'ablate-gpu-check');
const trialsPerGpu = Number(o['trials-per-gpu']);
const seconds = Number(o.seconds);
const problems = [];

const smi = (args) => new Promise((resolve, reject) => execFile('nvidia-smi', args, { timeout: 10_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
const rows = (text) => text.trim().split('\n').filter(Boolean).map((l) => l.split(',').map((f) => f.trim()));

const gpus = rows(await smi(['--query-gpu=index,name,memory.total', '--format=csv,noheader,nounits'])).map(([index, name, mem]) => ({ index: Number(index), name, memoryTotalMb: Number(mem) }));
const slots = gpus.length * trialsPerGpu;
const trials = 2 * slots;

const pg = await startTestPostgres();
const s = await startTestScheduler(pg.adminUrl);
const agentLog = createWriteStream(path.join(out, 'agent.log'));
const agent = spawn(process.execPath, [path.join(root, 'apps/cli/dist/main.js'), 'worker', '--api', s.url, '--token', TEST_WORKER_TOKEN, '--trials-per-gpu', String(trialsPerGpu), '--cpu-slots', '0', '--artifacts', path.join(out, 'artifacts')], {
  env: { ...process.env, ABLATE_ALLOW_COMMANDS: 'python3', ABLATE_COMMAND_ROOTS: here },
  stdio: ['ignore', 'pipe', 'pipe'],
});
agent.stdout.pipe(agentLog);
agent.stderr.pipe(agentLog);
const agentExited = new Promise((resolve) => agent.once('exit', resolve));
const summary = { dryRun: o['dry-run'], gpus, trialsPerGpu, slots, trials, secondsPerTrial: seconds };

try {
  // 1. The agent registers every GPU nvidia-smi lists, with trialsPerGpu slots each.
  let worker;
  for (const until = Date.now() + 120_000; !worker && Date.now() < until; await sleep(250)) {
    if (agent.exitCode !== null) throw new Error(`the agent exited (code ${agent.exitCode}); see ${out}/agent.log`);
    worker = (await s.user.listWorkers()).workers[0];
  }
  if (!worker) throw new Error(`the agent did not register within 120 s; see ${out}/agent.log`);
  summary.registered = { slots: worker.slots, gpus: worker.gpus.map((g) => g.index), backends: worker.backends };
  if (worker.gpus.length !== gpus.length || worker.slots !== slots)
    problems.push(`the agent registered ${worker.gpus.length} GPU(s) and ${worker.slots} slot(s); nvidia-smi lists ${gpus.length} GPU(s), so ${slots} slots were expected`);

  // 2. A packed sweep: two waves of every slot, one GPU per trial; nvidia-smi sampled meanwhile.
  const started = Date.now();
  const sweep = await s.user.createSweep({
    name: 'gpu-check',
    template: 'command',
    parameters: { command: { value: 'python3 gpu_trial.py' }, seconds: { value: seconds }, seed: { values: Array.from({ length: trials }, (_, i) => i + 1) } },
    resources: { gpus: 1 },
    metric: { name: 'gflops', goal: 'maximize' },
    maxRetries: 0,
  });
  const samples = [];
  let maxBusy = 0;
  let status = 'queued';
  while (!['completed', 'failed', 'cancelled'].includes(status)) {
    if (Date.now() - started > (trials * seconds + 300) * 1000) throw new Error('the sweep did not finish in time; see agent.log');
    const [detail, smiNow] = await Promise.all([s.user.getSweep(sweep.id), smi(['--query-gpu=index,utilization.gpu,memory.used', '--format=csv,noheader,nounits']).catch(() => '')]);
    status = detail.sweep.status;
    maxBusy = Math.max(maxBusy, (detail.sweep.counts.running ?? 0) + (detail.sweep.counts.leased ?? 0));
    for (const [index, util, mem] of rows(smiNow)) samples.push({ t: Date.now() - started, index: Number(index), util: Number(util), memUsedMb: Number(mem) });
    await sleep(500);
  }
  summary.sweepSeconds = (Date.now() - started) / 1000;
  summary.maxTrialsAtOnce = maxBusy;
  await writeFile(path.join(out, 'gpu-samples.csv'), ['t_ms,index,util_percent,mem_used_mb', ...samples.map((x) => `${x.t},${x.index},${x.util},${x.memUsedMb}`)].join('\n') + '\n');
  summary.perGpu = gpus.map((g) => {
    const mine = samples.filter((x) => x.index === g.index && Number.isFinite(x.util));
    const mean = mine.reduce((a, x) => a + x.util, 0) / Math.max(1, mine.length);
    return { index: g.index, samples: mine.length, utilMeanPercent: Math.round(mean), utilMaxPercent: Math.max(0, ...mine.map((x) => x.util)), memMaxMb: Math.max(0, ...mine.map((x) => x.memUsedMb)) };
  });

  for (const g of summary.perGpu) if (g.samples === 0) problems.push(`nvidia-smi gave no utilisation sample for GPU ${g.index} during the sweep`);

  // 3. Every trial completed, on its own GPU, and the slots were all in use at once.
  const done = await s.user.getSweep(sweep.id);
  const failed = done.trials.filter((t) => t.status !== 'completed');
  summary.completed = done.trials.length - failed.length;
  if (failed.length > 0) problems.push(`${failed.length} of ${trials} trials did not complete: ${failed.map((t) => `${t.status} ${t.error ?? ''}`.trim()).slice(0, 3).join('; ')}`);
  const seen = done.trials.map((t) => t.metrics['visible_gpu']);
  summary.trialsPerVisibleGpu = Object.fromEntries(gpus.map((g) => [g.index, seen.filter((v) => v === g.index).length]));
  if (seen.some((v) => !gpus.some((g) => g.index === v))) problems.push(`a trial saw CUDA_VISIBLE_DEVICES outside the node's GPUs: ${JSON.stringify(seen)}`);
  if (maxBusy < slots) problems.push(`at most ${maxBusy} trials ran at once; the agent has ${slots} slots (not packed)`);
  const torch = done.trials.some((t) => t.metrics['torch_cuda'] === 1);
  const gflops = done.trials.map((t) => t.metrics['gflops']).filter((v) => v !== undefined).sort((a, b) => a - b);
  summary.engine = torch ? 'pytorch-cuda' : 'numpy-cpu';
  summary.gflopsPerTrialMedian = gflops.length ? Number(gflops[Math.floor(gflops.length / 2)].toFixed(1)) : null;
  if (torch && !o['dry-run']) {
    for (const g of summary.perGpu) if (g.utilMaxPercent < 20) problems.push(`GPU ${g.index} stayed near idle (at most ${g.utilMaxPercent} % busy) while its trials ran`);
  }
} catch (err) {
  problems.push(err instanceof Error ? err.message : String(err));
} finally {
  agent.kill('SIGTERM');
  await Promise.race([agentExited, sleep(20_000)]);
  if (agent.exitCode === null) agent.kill('SIGKILL');
  await s.close();
  await pg.stop();
}
summary.problems = problems;
await writeFile(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
process.exit(problems.length > 0 ? 1 : 0);
