import type { GpuStat } from './gpu-probe.js';

/** What decides which of the node's GPUs the agent uses. */
export interface GpuChoice {
  /** `--gpus` / `ABLATE_GPUS`: indices, `all`, or `none` (default `all`). */
  requested?: string | undefined;
  /** The agent's own `CUDA_VISIBLE_DEVICES`, when set: only those GPUs are its to hand out. */
  cudaVisibleDevices?: string | undefined;
}

/**
 * The GPUs the agent hands out: those `CUDA_VISIBLE_DEVICES` leaves visible (an operator or a
 * container runtime may have given this agent part of the node), narrowed to `--gpus`. A name
 * that is not there stops the agent with the list it found, rather than run with fewer GPUs than
 * the operator meant.
 */
export function selectGpus(found: GpuStat[], choice: GpuChoice): GpuStat[] {
  let visible = found;
  const cvd = choice.cudaVisibleDevices;
  if (cvd !== undefined) {
    const indices = parseIndexList(cvd, 'CUDA_VISIBLE_DEVICES', true);
    // CUDA stops at the first invalid entry (e.g. -1, a common way to hide every GPU).
    const upTo = indices.findIndex((i) => !found.some((g) => g.index === i));
    visible = (upTo < 0 ? indices : indices.slice(0, upTo)).map((i) => found.find((g) => g.index === i)!);
  }
  const requested = choice.requested?.trim() ?? 'all';
  if (requested === '' || requested === 'all') return visible;
  if (requested === 'none') return [];
  const wanted = parseIndexList(requested, '--gpus', false);
  const missing = wanted.filter((i) => !visible.some((g) => g.index === i));
  if (missing.length > 0) {
    const list =
      visible.length === 0
        ? 'none'
        : visible.map((g) => `${g.index} (${g.name}, ${g.memoryTotalMb} MiB)`).join(', ');
    const hidden = cvd === undefined ? '' : ` (CUDA_VISIBLE_DEVICES=${cvd} hides the others)`;
    throw new Error(
      `--gpus names GPU ${missing.join(', ')}, which this node does not have; GPUs found: ${list}${hidden}. Name some of these, or leave --gpus out to use them all.`,
    );
  }
  return wanted.map((i) => visible.find((g) => g.index === i)!);
}

function parseIndexList(text: string, what: string, allowNegative: boolean): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!/^-?\d+$/.test(p) || (!allowNegative && n < 0)) {
      throw new Error(
        `${what}=${text}: "${p}" is not a GPU index; use indices as nvidia-smi numbers them (e.g. 0,1)${allowNegative ? ', not UUIDs' : ', or all / none'}.`,
      );
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}
