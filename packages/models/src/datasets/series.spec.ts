import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvSeries, readCsvColumn } from './csv-series.js';
import { syntheticSeries } from './synthetic-series.js';

describe('synthetic series', () => {
  it("follows the course's formula, 80/20 split, and is seeded", () => {
    const o = { count: 10, inputSteps: 128, lookAhead: 10, noise: 0, forecastSteps: 80, seed: 4 };
    const a = syntheticSeries(o);
    expect([a.trainCount, a.valCount]).toEqual([8, 2]);
    const x = Array.from(a.trainX.subarray(0, 128));
    // the value at t uses linspace(0, 20π, 138) and linspace(0, π, 138)
    const phase = findPhase(x);
    for (const t of [1, 50, 127]) {
      expect(x[t]).toBeCloseTo(Math.sin(phase + (20 * Math.PI * t) / 137) * Math.sin(phase + (Math.PI * t) / 137), 4);
    }
    expect(a.forecast.truths[0]).toHaveLength(80);
    expect(syntheticSeries(o).trainX).toEqual(a.trainX);
  });
});

describe('csv series', () => {
  const dir = mkdtemp(join(tmpdir(), 'ablate-csv-'));

  it('windows one column, z-scored on the training part', async () => {
    const file = join(await dir, 'ok.csv');
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${Math.sin(i / 3)}`);
    await writeFile(file, `t,value\n${rows.join('\n')}\n`);
    const w = await csvSeries({ path: file, inputSteps: 16, lookAhead: 4, forecastSteps: 8 });
    expect(w.trainCount + w.valCount).toBe(60 - 20 + 1);
    expect(w.forecast.truths[0]).toHaveLength(8);
  });

  it('names the file and what is wrong', async () => {
    const missing = join(await dir, 'missing.csv');
    await expect(readCsvColumn(missing)).rejects.toThrow(`${missing}: file not found`);
    const bad = join(await dir, 'bad.csv');
    await writeFile(bad, 'a,b\n1,2\n3,oops\n');
    await expect(readCsvColumn(bad)).rejects.toThrow(`${bad}: row 3, column "b": expected a number, got "oops"`);
    await expect(readCsvColumn(bad, 'c')).rejects.toThrow(/no column "c"/);
    const truncated = join(await dir, 'truncated.csv');
    await writeFile(truncated, 'a,b\n1,2\n3,"4');
    await expect(readCsvColumn(truncated)).rejects.toThrow(new RegExp(`${truncated}: not a valid CSV`));
    const short = join(await dir, 'short.csv');
    await writeFile(short, 'a\n1\n2\n');
    await expect(csvSeries({ path: short, inputSteps: 16, lookAhead: 4, forecastSteps: 8 })).rejects.toThrow(/need at least 10/);
  });
});

/** The phase s in [0, 2π) that reproduces the first values of a noise-free series. */
function findPhase(x: number[]): number {
  let best = 0;
  let err = Infinity;
  for (let i = 0; i < 200_000; i++) {
    const s = (2 * Math.PI * i) / 200_000;
    let e = 0;
    for (let t = 0; t < 5; t++) e += (Math.sin(s + (20 * Math.PI * t) / 137) * Math.sin(s + (Math.PI * t) / 137) - x[t]!) ** 2;
    if (e < err) [best, err] = [s, e];
  }
  return best;
}
