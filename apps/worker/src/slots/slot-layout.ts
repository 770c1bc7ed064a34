import type { GpuDevice } from '@ablate/contracts';
import os from 'node:os';
import type { GpuProbe } from '../gpu/gpu-probe.js';
import { selectGpus } from '../gpu/gpu-selection.js';
import type { SlotLayout } from './slot-pool.js';

/** The node's slots as the agent will run them, and the GPUs it registers. */
export interface NodeSlots {
  layout: SlotLayout;
  gpus: GpuDevice[];
}

/**
 * Probes the GPUs, applies `CUDA_VISIBLE_DEVICES` and `--gpus`, and sizes the slots: `trialsPerGpu`
 * per GPU, and CPU slots — by default one per core on a node without GPUs (a wasm trial keeps one
 * core busy), none beside GPUs.
 */
export async function resolveSlots(
  probe: GpuProbe,
  o: {
    gpus?: string | undefined;
    trialsPerGpu?: number | undefined;
    cpuSlots?: number | undefined;
    env: NodeJS.ProcessEnv;
  },
): Promise<NodeSlots> {
  const found = await probe.list();
  const chosen = selectGpus(found, { requested: o.gpus, cudaVisibleDevices: o.env['CUDA_VISIBLE_DEVICES'] });
  const trialsPerGpu = o.trialsPerGpu ?? 1;
  const cpuSlots = o.cpuSlots ?? (chosen.length === 0 ? os.availableParallelism() : 0);
  if (chosen.length * trialsPerGpu + cpuSlots < 1) {
    throw new Error(
      'This worker would have no slot: it uses no GPU (--gpus none, or none found) and --cpu-slots is 0. Give it a CPU slot or a GPU.',
    );
  }
  return {
    layout: { gpus: chosen.map((g) => g.index), trialsPerGpu, cpuSlots },
    gpus: chosen.map((g) => ({ index: g.index, name: g.name, memoryTotalMb: g.memoryTotalMb })),
  };
}

/** `2 GPUs × 2 trials + 0 CPU slots`, for the log. */
export function describeLayout(l: SlotLayout): string {
  const gpus =
    l.gpus.length === 0
      ? 'no GPU'
      : `GPU ${l.gpus.join(',')} × ${l.trialsPerGpu} trial${l.trialsPerGpu === 1 ? '' : 's'}`;
  return `${gpus}, ${l.cpuSlots} CPU slot${l.cpuSlots === 1 ? '' : 's'}`;
}
