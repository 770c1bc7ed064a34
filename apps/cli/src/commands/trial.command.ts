import { ApiError, ErrorCode } from '@ablate/contracts';
import type { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar';
import { apiOption, client, guarded, type ApiOptions } from '../lib/cli-context.js';

/** Templates whose checkpoints export as a TF.js model (the models package's EXPORTABLE_TEMPLATES, without loading TF.js to refuse others). */
const EXPORTABLE = ['mnist-cnn', 'cifar10-cnn'];

/**
 * Downloads the trial's stored checkpoint, unpacks it into a temporary folder and exports it with
 * the models package (loaded only here: TF.js is most of its start-up), into `out`.
 */
async function exportModel(trialId: string, opts: ApiOptions & { out: string }): Promise<void> {
  const api = client(opts);
  const { trial, sweep, checkpoint } = await api.getTrial(trialId);
  if (!EXPORTABLE.includes(sweep.template)) {
    throw new ApiError(ErrorCode.ModelNotAvailable, `Trial ${trial.id} is a ${sweep.template} trial: only ${EXPORTABLE.join(' and ')} trials train a network that exports as a TF.js model.`);
  }
  if (!checkpoint) throw new ApiError(ErrorCode.CheckpointNotFound, `Trial ${trial.id} has no stored checkpoint yet (it uploads one after each epoch).`);
  const res = await fetch(`${opts.api.replace(/\/$/, '')}/api/trials/${encodeURIComponent(trial.id)}/checkpoint/download`);
  if (!res.ok || !res.body) throw new Error(`downloading the checkpoint of trial ${trial.id} failed: HTTP ${res.status} ${await res.text()}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'ablate-export-'));
  try {
    await pipeline(Readable.fromWeb(res.body), extract({ cwd: dir, strict: true }) as unknown as Writable);
    const { exportCheckpointModel } = await import('@ablate/models');
    const out = path.resolve(opts.out);
    const info = await exportCheckpointModel({ template: sweep.template, params: trial.params, checkpointDir: dir, outDir: out });
    console.error(`Exported trial ${trial.id} (${sweep.template}, weights of epoch ${info.epoch}, input ${info.inputShape.join('×')}, scaled ${info.inputRange ?? 'by per-channel z-scores'}).`);
    console.error(`As a transfer extractor: "extractor": "${path.join(out, 'model.json')}", "featureLayer": "${info.featureLayers[0] ?? ''}"${info.inputRange ? `, "inputRange": "${info.inputRange}"` : ''} (the path must lie in the worker's data roots).`);
    console.log(path.join(out, 'model.json'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function registerTrialCommands(program: Command): void {
  // `ablate trial cancel` (sweep-steering.command.ts) may have made the group already
  const trial = program.commands.find((c) => c.name() === 'trial') ?? program.command('trial').description('Act on one trial.');
  trial
    .command('export-model <trialId>')
    .description("Export a mnist-cnn or cifar10-cnn trial's stored checkpoint as a TF.js layers model (model.json + weights.bin, stock layers) and print the model.json path.")
    .requiredOption('--out <dir>', 'folder to write model.json, weights.bin and ablate-model.json into')
    .option(...apiOption())
    .action(guarded(exportModel));
}
