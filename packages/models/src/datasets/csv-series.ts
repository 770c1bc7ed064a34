import { readFile } from 'node:fs/promises';
import { DatasetError } from './dataset-error.js';
import type { SeriesWindows } from './series-windows.js';

export interface CsvSeriesOptions {
  path: string;
  /** Header name of the column to forecast; default the last column. */
  column?: string;
  inputSteps: number;
  lookAhead: number;
  forecastSteps: number;
}

/** Reads one numeric column of a CSV with a header row; errors name the file, row and column. */
export async function readCsvColumn(path: string, column?: string): Promise<Float32Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new DatasetError(path, missing ? 'file not found' : (err as Error).message, missing ? 'dataset_missing' : 'dataset_corrupt');
  }
  const { parse } = await import('csv-parse/sync'); // loaded by the trials that read a CSV only
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true });
  } catch (err) {
    throw new DatasetError(path, `not a valid CSV (${(err as Error).message})`);
  }
  const header = rows[0];
  if (!header || rows.length < 2) throw new DatasetError(path, 'needs a header row and at least one data row');
  const index = column === undefined ? header.length - 1 : header.indexOf(column);
  if (index < 0) throw new DatasetError(path, `no column "${column}" (columns: ${header.join(', ')})`, 'invalid_params');
  const values = new Float32Array(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    const cell = rows[r]![index];
    const value = cell === undefined || cell === '' ? Number.NaN : Number(cell);
    // Training runs in float32: a value beyond its range would turn into Infinity there.
    if (!Number.isFinite(Math.fround(value))) {
      throw new DatasetError(path, `row ${r + 1}, column "${header[index]}": expected a number, got ${JSON.stringify(cell ?? '')}${Number.isFinite(value) ? ' (beyond float32, ±3.4e38)' : ''}`);
    }
    values[r - 1] = value;
  }
  return values;
}

/**
 * Sliding windows (stride 1) over one CSV column, z-scored with the training part's mean and
 * standard deviation; the first 80% of time trains, the rest validates, and one forecast starts
 * where validation starts.
 */
export async function csvSeries(o: CsvSeriesOptions): Promise<SeriesWindows> {
  const values = await readCsvColumn(o.path, o.column);
  const window = o.inputSteps + o.lookAhead;
  const windows = values.length - window + 1;
  if (windows < 10) {
    throw new DatasetError(o.path, `${values.length} rows give ${Math.max(windows, 0)} windows of ${window} steps; need at least 10`);
  }
  const trainCount = Math.floor(windows * 0.8);
  const trainEnd = trainCount + window - 1;
  let mean = 0;
  for (let i = 0; i < trainEnd; i++) mean += values[i]! / trainEnd;
  let variance = 0;
  for (let i = 0; i < trainEnd; i++) variance += (values[i]! - mean) ** 2 / trainEnd;
  const std = Math.sqrt(variance) || 1;
  const z = values.map((v) => (v - mean) / std);
  const out: SeriesWindows = {
    inputSteps: o.inputSteps, lookAhead: o.lookAhead, trainCount, valCount: windows - trainCount,
    trainX: new Float32Array(trainCount * o.inputSteps), trainY: new Float32Array(trainCount * o.lookAhead),
    valX: new Float32Array((windows - trainCount) * o.inputSteps), valY: new Float32Array((windows - trainCount) * o.lookAhead),
    forecast: { contexts: [], truths: [] },
  };
  for (let w = 0; w < windows; w++) {
    const isTrain = w < trainCount;
    const row = isTrain ? w : w - trainCount;
    (isTrain ? out.trainX : out.valX).set(z.subarray(w, w + o.inputSteps), row * o.inputSteps);
    (isTrain ? out.trainY : out.valY).set(z.subarray(w + o.inputSteps, w + window), row * o.lookAhead);
  }
  const start = trainCount;
  const steps = Math.min(o.forecastSteps, values.length - start - o.inputSteps);
  if (steps > 0) {
    out.forecast.contexts.push(z.slice(start, start + o.inputSteps));
    out.forecast.truths.push(z.slice(start + o.inputSteps, start + o.inputSteps + steps));
  }
  return out;
}
