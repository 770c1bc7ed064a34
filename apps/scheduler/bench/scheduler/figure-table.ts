import type { Figure } from './figure.js';
import { machineLine, type Machine } from './machine.js';

/** The run's table in Markdown (docs/scheduler-benchmarks.md takes it as printed), then each figure's details. */
export function printFigures(
  machine: Machine,
  figures: readonly (readonly [number, Figure])[],
  command: string,
): void {
  console.log(`\n${command}: ${machineLine(machine)}\n`);
  console.log('| # | figure | measured | anchor | goal | met |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [n, f] of figures)
    console.log(
      `| ${n} | ${f.name} | ${f.measured} | ${f.anchor} | ${f.goal} | ${f.met ? 'yes' : '**no**'} |`,
    );
  for (const [n, f] of figures) {
    console.log(`\n${n}. ${f.name}`);
    for (const line of f.details) console.log(`   - ${line}`);
  }
}
