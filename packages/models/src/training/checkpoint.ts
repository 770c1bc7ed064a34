import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrialError } from '../trial-error.js';

/** One epoch's metrics, as reported. */
export interface EpochRecord {
  step: number;
  metrics: Record<string, number>;
}

/** Early-stopping bookkeeping that must survive a restart. */
export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number;
  wait: number;
  stopped: boolean;
}

/** The objective's best value so far and its epoch (0 before the first). */
export interface KeptBest {
  best: number | null;
  epoch: number;
}

/** Everything a trial needs to continue in another process exactly where it stopped. */
export interface TrainingCheckpoint {
  epoch: number;
  rngState: number[];
  history: EpochRecord[];
  early: EarlyStoppingState;
  /** Whose weights `bestWeights` are (absent in checkpoints written before the objective was kept). */
  kept?: KeptBest;
  weights: tf.Tensor[];
  optimizer: { name: string; tensor: tf.Tensor }[];
  /** Weights of the objective's best epoch so far, restored at the end. */
  bestWeights: tf.Tensor[] | null;
  /** {@link modelSignature} of the model the weights belong to (absent in checkpoints written before it existed). */
  architecture?: string[];
}

/**
 * The model's layers as class name and activation, in order: enough to tell apart two builds of a template whose
 * weights have the same shapes but mean different things (batch norm before or after a ReLU), so that a
 * checkpoint is never loaded into the wrong net after a code change.
 */
export function modelSignature(model: tf.LayersModel): string[] {
  return model.layers.map((layer) => {
    const activation = (layer.getConfig() as { activation?: unknown }).activation;
    return typeof activation === 'string' ? `${layer.getClassName()}:${activation}` : layer.getClassName();
  });
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
}

interface Manifest extends Omit<TrainingCheckpoint, 'weights' | 'optimizer' | 'bestWeights'> {
  version: 1;
  file: string;
  weights: TensorEntry[];
  optimizer: TensorEntry[];
  bestWeights: TensorEntry[] | null;
}

const MANIFEST = 'checkpoint.json';

/**
 * Writes the checkpoint. The tensor data goes to a file named after the epoch and the manifest is
 * renamed into place last, so a crash mid-write leaves the previous checkpoint intact.
 */
export async function saveCheckpoint(dir: string, ckpt: TrainingCheckpoint): Promise<void> {
  await mkdir(dir, { recursive: true });
  const chunks: Buffer[] = [];
  let offset = 0;
  const pack = async (name: string, t: tf.Tensor): Promise<TensorEntry> => {
    const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
    const data = dtype === 'int32' ? Int32Array.from(await t.data()) : Float32Array.from(await t.data());
    const entry: TensorEntry = { name, shape: t.shape, dtype, offset };
    chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    offset += data.byteLength;
    return entry;
  };
  const packAll = async (ts: { name: string; tensor: tf.Tensor }[]) => {
    const out: TensorEntry[] = [];
    for (const { name, tensor } of ts) out.push(await pack(name, tensor));
    return out;
  };
  const weights = await packAll(ckpt.weights.map((tensor, i) => ({ name: `w${i}`, tensor })));
  const optimizer = await packAll(ckpt.optimizer);
  const best = ckpt.bestWeights ? await packAll(ckpt.bestWeights.map((tensor, i) => ({ name: `b${i}`, tensor }))) : null;
  const file = `tensors-${ckpt.epoch}.bin`;
  await writeFile(join(dir, file), Buffer.concat(chunks));
  const manifest: Manifest = {
    version: 1, file, epoch: ckpt.epoch, rngState: ckpt.rngState, history: ckpt.history, early: ckpt.early,
    weights, optimizer, bestWeights: best, ...(ckpt.architecture ? { architecture: ckpt.architecture } : {}),
    ...(ckpt.kept ? { kept: ckpt.kept } : {}),
  };
  await writeFile(join(dir, `${MANIFEST}.tmp`), JSON.stringify(manifest));
  await rename(join(dir, `${MANIFEST}.tmp`), join(dir, MANIFEST));
  for (const name of await readdir(dir)) {
    if (name.startsWith('tensors-') && name !== file) await rm(join(dir, name), { force: true });
  }
}

/** Reads the checkpoint in `dir`, or null when there is none. Tensors returned are the caller's to dispose. */
export async function loadCheckpoint(dir: string): Promise<TrainingCheckpoint | null> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const m = parseManifest(text, join(dir, MANIFEST));
  if (m.version !== 1) throw new TrialError('checkpoint_mismatch', `${join(dir, MANIFEST)}: unsupported checkpoint version ${String(m.version)}; delete that folder to run the trial from the start`);
  const buf = await readFile(join(dir, m.file));
  const unpack = (e: TensorEntry): tf.Tensor => {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const bytes = buf.buffer.slice(buf.byteOffset + e.offset, buf.byteOffset + e.offset + size * 4);
    const data = e.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes);
    return tf.tensor(data, e.shape, e.dtype);
  };
  return {
    epoch: m.epoch, rngState: m.rngState, history: m.history, early: m.early,
    weights: m.weights.map(unpack),
    optimizer: m.optimizer.map((e) => ({ name: e.name, tensor: unpack(e) })),
    bestWeights: m.bestWeights ? m.bestWeights.map(unpack) : null,
    ...(m.architecture ? { architecture: m.architecture } : {}),
    ...(m.kept ? { kept: m.kept } : {}),
  };
}

/** The manifest, or a `checkpoint_mismatch` naming the file: a retry would read the same bytes. */
function parseManifest(text: string, path: string): Manifest {
  try {
    return JSON.parse(text) as Manifest;
  } catch (err) {
    throw new TrialError('checkpoint_mismatch', `${path}: not a readable checkpoint manifest (${(err as Error).message}); delete that folder to run the trial from the start`);
  }
}
