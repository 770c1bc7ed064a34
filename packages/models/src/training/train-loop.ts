import * as tf from '@tensorflow/tfjs';
import { loadCheckpoint, modelSignature, saveCheckpoint, type EarlyStoppingState, type EpochRecord, type KeptBest } from './checkpoint.js';
import { evaluate, type Examples } from './evaluate.js';
import type { MetricFn } from './losses.js';
import type { SeededRng } from './rng.js';
import { TrialError } from '../trial-error.js';

/** Stop when `monitor` has not improved for `patience` epochs, and keep the best weights. */
export interface EarlyStoppingOptions {
  monitor: string;
  goal: 'minimize' | 'maximize';
  patience: number;
}

/** The metric a trial is scored by and which way is better. */
export interface Objective {
  name: string;
  goal: 'minimize' | 'maximize';
}

export interface TrainOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** Training loss and the name it is reported under (`loss`, `mse`, ...). */
  loss: { name: string; fn: MetricFn };
  /** Extra metrics, reported as `name` (training batches) and `val_name`. */
  metrics?: Record<string, MetricFn>;
  train: Examples;
  validation?: Examples;
  epochs: number;
  batchSize: number;
  /** The trial's RNG: epoch shuffles, dropout masks and augmentation draw from it. */
  rng: SeededRng;
  /** On-the-fly augmentation of a training batch (never applied to validation). */
  augment?: (x: tf.Tensor, rng: SeededRng) => tf.Tensor;
  earlyStopping?: EarlyStoppingOptions;
  /**
   * The epoch metric the trial is scored by (the sweep's). The weights of its best epoch are kept and
   * restored at the end, so the metrics measured afterwards (test_acc) belong to the epoch the score
   * comes from, as Keras' `restore_best_weights`. Default: {@link defaultObjective}.
   */
  objective?: Objective;
  /** Called after each epoch; on a resume, first once for every epoch the checkpoint holds. */
  onEpoch?: (step: number, metrics: Record<string, number>) => void | Promise<void>;
  signal?: AbortSignal;
  checkpointDir?: string;
  /**
   * Called after each epoch's checkpoint is written (and before `onEpoch`) with the weights the trial
   * would end with now (the objective's best so far) and their epoch: the CNN templates write them
   * as a TF.js model into the checkpoint folder, so the stored checkpoint carries one.
   */
  onCheckpoint?: (weights: tf.Tensor[], epoch: number) => Promise<unknown>;
  log?: (line: string) => void;
}

export interface TrainResult {
  /** Last epoch run. */
  step: number;
  history: EpochRecord[];
  /** Epoch whose weights the model holds at the end: the best one by the objective (the last without one). */
  bestEpoch: number;
}

/** The error a trial rejects with when its signal aborts. */
export function abortError(): Error {
  return new DOMException('The trial was aborted.', 'AbortError');
}

/**
 * Mini-batch training with a custom loop rather than `model.fit`, because a resumable trial needs
 * the optimizer state, the RNG stream and early-stopping bookkeeping in its checkpoint, and
 * `fit` exposes none of them.
 */
export async function trainModel(o: TrainOptions): Promise<TrainResult> {
  const lossName = o.loss.name;
  const metricFns = { [lossName]: o.loss.fn, ...o.metrics };
  let start = 0;
  let history: EpochRecord[] = [];
  let early: EarlyStoppingState = { best: null, bestEpoch: 0, wait: 0, stopped: false };
  let kept: KeptBest = { best: null, epoch: 0 };
  let bestWeights: tf.Tensor[] | null = null;
  const objective = o.objective ?? defaultObjective(o);
  const ckpt = o.checkpointDir ? await loadCheckpoint(o.checkpointDir) : null;
  const architecture = modelSignature(o.model);
  if (ckpt) {
    if (ckpt.architecture && ckpt.architecture.join() !== architecture.join()) {
      tf.dispose([...ckpt.weights, ...ckpt.optimizer.map((t) => t.tensor), ...(ckpt.bestWeights ?? [])]);
      throw new TrialError(
        'checkpoint_mismatch',
        `The checkpoint in ${o.checkpointDir ?? '?'} was written for a different model (${ckpt.architecture.join(' → ')}) than this ` +
          `trial builds (${architecture.join(' → ')}), e.g. by an older Ablate version; it cannot be resumed. Delete that folder to run the trial from the start.`,
      );
    }
    o.model.setWeights(ckpt.weights);
    if (ckpt.optimizer.length > 0) await o.optimizer.setWeights(ckpt.optimizer);
    o.rng.setState(ckpt.rngState);
    ({ history, early, bestWeights } = ckpt);
    if (ckpt.kept) kept = ckpt.kept;
    else if (bestWeights) {
      // written before the objective was kept: its best weights were early stopping's; start over
      tf.dispose(bestWeights);
      bestWeights = null;
    }
    start = ckpt.epoch;
    tf.dispose([...ckpt.weights, ...ckpt.optimizer.map((t) => t.tensor)]);
    o.log?.(`resumed from checkpoint at epoch ${start}`);
    // Report every checkpointed epoch again: reports buffered on a worker that died (or lost in an
    // outage) never reached the scheduler, and it gets them now; `runTrial` drops the ones it
    // already holds (resumeAfterStep), and a repeat would change nothing anyway.
    for (const record of history) await o.onEpoch?.(record.step, record.metrics);
  }
  let epoch = start;
  try {
    while (epoch < o.epochs && !early.stopped) {
      epoch += 1;
      const metrics = await trainEpoch(o, metricFns);
      if (o.validation) {
        const val = await evaluate(o.model, o.validation, metricFns, Math.max(o.batchSize, 256));
        for (const [name, v] of Object.entries(val)) metrics[`val_${name}`] = v;
      }
      if (o.earlyStopping) updateEarlyStopping(o, early, epoch, metrics);
      if (objective) bestWeights = keepBest(o.model, objective, kept, epoch, metrics, bestWeights);
      history.push({ step: epoch, metrics });
      if (o.checkpointDir) {
        await saveCheckpoint(o.checkpointDir, {
          epoch, rngState: o.rng.getState(), history, early, kept, bestWeights, architecture,
          weights: o.model.getWeights(), optimizer: await o.optimizer.getWeights(),
        });
        await o.onCheckpoint?.(bestWeights ?? o.model.getWeights(), bestWeights ? kept.epoch : epoch);
      }
      o.log?.(`epoch ${epoch}/${o.epochs} ${formatMetrics(metrics)}`);
      await o.onEpoch?.(epoch, metrics);
    }
    let bestEpoch = epoch;
    if (objective && bestWeights && kept.epoch !== epoch) {
      o.model.setWeights(bestWeights);
      bestEpoch = kept.epoch;
      o.log?.(`restored the weights of epoch ${bestEpoch}, the best by ${objective.name}; final metrics are measured on them`);
    }
    return { step: epoch, history, bestEpoch };
  } finally {
    if (bestWeights) tf.dispose(bestWeights);
  }
}

async function trainEpoch(o: TrainOptions, metricFns: Record<string, MetricFn>): Promise<Record<string, number>> {
  const n = o.train.x.shape[0];
  const order = o.rng.permutation(n);
  const names = Object.keys(metricFns);
  const sums = new Float64Array(names.length);
  const weights = o.model.trainableWeights.map((w) => w.read() as tf.Variable);
  for (let startIdx = 0; startIdx < n; startIdx += o.batchSize) {
    if (o.signal?.aborted) throw abortError();
    const idx = order.subarray(startIdx, Math.min(startIdx + o.batchSize, n));
    let batchValues: tf.Tensor | undefined;
    // Batch gathering and augmentation stay outside the gradient tape: they need no gradients.
    const [x, y] = tf.tidy(() => {
      const indices = tf.tensor1d(idx, 'int32');
      const xb = tf.gather(o.train.x, indices);
      return [o.augment ? o.augment(xb, o.rng) : xb, tf.gather(o.train.y, indices)];
    });
    const cost = o.optimizer.minimize(() => {
      const pred = o.model.apply(x, { training: true }) as tf.Tensor;
      const values = names.map((name) => metricFns[name]!(y, pred));
      batchValues = tf.keep(tf.stack(values));
      return values[0]!;
    }, false, weights);
    tf.dispose([x, y]);
    cost?.dispose();
    const arr = await batchValues!.data();
    batchValues!.dispose();
    arr.forEach((v, i) => (sums[i] = sums[i]! + v * idx.length));
    await new Promise((resolve) => setImmediate(resolve));
  }
  const out: Record<string, number> = {};
  names.forEach((name, i) => (out[name] = sums[i]! / n));
  return out;
}

function updateEarlyStopping(o: TrainOptions, early: EarlyStoppingState, epoch: number, metrics: Record<string, number>): void {
  const es = o.earlyStopping!;
  const value = metrics[es.monitor];
  if (value === undefined) throw new TrialError('invalid_params', `early stopping monitors ${es.monitor}, which is not reported`);
  const improved = early.best === null || (es.goal === 'minimize' ? value < early.best : value > early.best);
  if (improved) {
    early.best = value;
    early.bestEpoch = epoch;
    early.wait = 0;
    return;
  }
  early.wait += 1;
  if (early.wait >= es.patience) {
    early.stopped = true;
    o.log?.(`early stopping: ${es.monitor} has not improved for ${es.patience} epochs`);
  }
}

/** Copies the model's weights when `epoch` is the objective's best so far; returns the weights kept. */
function keepBest(
  model: tf.LayersModel, objective: Objective, kept: KeptBest, epoch: number, metrics: Record<string, number>, bestWeights: tf.Tensor[] | null,
): tf.Tensor[] | null {
  const value = metrics[objective.name];
  if (value === undefined) return bestWeights;
  const better = kept.best === null || (objective.goal === 'minimize' ? value < kept.best : value > kept.best);
  if (!better) return bestWeights;
  kept.best = value;
  kept.epoch = epoch;
  if (bestWeights) tf.dispose(bestWeights);
  return model.getWeights().map((w) => w.clone());
}

/**
 * The objective when the caller names none: the first extra metric on validation, higher is better
 * (`val_acc`), else the validation loss (`val_mse`), as the dashboard's default sweep metric; none
 * without validation data (the last weights are kept).
 */
export function defaultObjective(o: Pick<TrainOptions, 'validation' | 'loss' | 'metrics' | 'earlyStopping'>): Objective | undefined {
  if (!o.validation) return o.earlyStopping ? { name: o.earlyStopping.monitor, goal: o.earlyStopping.goal } : undefined;
  const extra = Object.keys(o.metrics ?? {})[0];
  return extra ? { name: `val_${extra}`, goal: 'maximize' } : { name: `val_${o.loss.name}`, goal: 'minimize' };
}

function formatMetrics(m: Record<string, number>): string {
  return Object.entries(m).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ');
}
