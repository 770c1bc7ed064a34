/**
 * Runs the course's experiments one after another and prints one table: test accuracy (CIFAR-10
 * rows) or validation / forecast MSE (1D rows), with the time each took.
 *
 *   ABLATE_DATA_DIR=/path/with/cifar-10-batches-bin npm run reproduce:course [-- --quick] [-- --seed=2] [-- --only=dilated]
 */
import { runTrial } from '../src/index.js';
import { courseExperiments } from './course-experiments.js';

interface Row {
  name: string;
  knob: string;
  epochs: number;
  result: string;
  seconds: number;
  backend: string;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const seed = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? 1);
const only = args.find((a) => a.startsWith('--only='))?.slice(7).toLowerCase().split(',');

const experiments = courseExperiments(quick, seed).filter((e) => !only || only.some((o) => e.name.toLowerCase().includes(o)));
const rows: Row[] = [];
process.stderr.write(`reproducing ${experiments.length} course experiments (${quick ? 'quick' : 'full'} mode, seed ${seed})\n`);
for (const e of experiments) {
  const started = performance.now();
  const result = await runTrial({
    template: e.template,
    params: e.params,
    log: (line) => process.stderr.write(`  [${e.name}] ${line}\n`),
  });
  const seconds = (performance.now() - started) / 1000;
  const m = result.metrics;
  const text = m['test_acc'] !== undefined
    ? `test acc ${(m['test_acc'] * 100).toFixed(1)} %`
    : `val MSE ${m['val_mse']?.toFixed(4)}, 80-step forecast MSE ${m['forecast_mse']?.toFixed(4)}`;
  rows.push({ name: e.name, knob: e.knob, epochs: result.step, result: text, seconds, backend: result.backend });
  process.stderr.write(`${e.name}: ${text} (${seconds.toFixed(0)} s)\n`);
}

console.log(`\n| Experiment | Knob | Epochs | Result | Time | Backend |\n| --- | --- | --- | --- | --- | --- |`);
for (const r of rows) {
  console.log(`| ${r.name} | ${r.knob} | ${r.epochs} | ${r.result} | ${r.seconds.toFixed(0)} s | ${r.backend} |`);
}
