import type { WorkerSlot } from '@ablate/contracts';

/** Where one trial runs: the GPUs it was given (empty on a CPU slot) and the slots it holds. */
export interface Placement {
  /** GPU indices for its `CUDA_VISIBLE_DEVICES`; empty for a CPU slot. */
  gpus: number[];
  /** Names of the slots it holds (`gpu0/1`, `cpu2`). */
  slots: string[];
}

/** A node's capacity: `trialsPerGpu` shares of each GPU, and `cpuSlots` CPU cores. */
export interface SlotLayout {
  gpus: number[];
  trialsPerGpu: number;
  cpuSlots: number;
}

/**
 * The agent's slots and who holds them. A trial that needs `n` GPUs takes a share of each of `n`
 * GPUs (the least loaded ones, so trials spread out before they pack); one that needs none takes a
 * share of the least loaded GPU when the node has one free (a GPU node's trials belong on its
 * GPUs), else a CPU slot.
 */
export class SlotPool {
  private readonly holders = new Map<string, string | null>();
  private readonly gpuShares = new Map<number, string[]>();
  private readonly cpu: string[] = [];

  constructor(readonly layout: SlotLayout) {
    for (const g of layout.gpus) {
      const names = Array.from({ length: layout.trialsPerGpu }, (_, i) => `gpu${g}/${i}`);
      this.gpuShares.set(g, names);
      for (const n of names) this.holders.set(n, null);
    }
    for (let i = 0; i < layout.cpuSlots; i++) {
      this.cpu.push(`cpu${i}`);
      this.holders.set(`cpu${i}`, null);
    }
  }

  /** Trials the node runs at once when every trial needs at most one GPU. */
  get size(): number {
    return this.holders.size;
  }

  /** What the lease request says: GPUs with a free share, and how many trials could start now. */
  free(): { freeGpus: number; freeSlots: number } {
    const freeGpus = [...this.gpuShares.values()].filter((names) =>
      names.some((n) => this.holders.get(n) === null),
    ).length;
    const freeSlots = [...this.holders.values()].filter((h) => h === null).length;
    return { freeGpus, freeSlots };
  }

  /** Takes slots for `trialId` needing `gpus` GPUs; null when they are not free now. */
  take(trialId: string, gpus: number): Placement | null {
    const byLoad = [...this.gpuShares.entries()]
      .map(([index, names]) => ({ index, free: names.filter((n) => this.holders.get(n) === null) }))
      .filter((g) => g.free.length > 0)
      .sort((a, b) => b.free.length - a.free.length || a.index - b.index);
    if (gpus > 0 || byLoad.length > 0) {
      const chosen = byLoad.slice(0, Math.max(gpus, 1));
      if (chosen.length < gpus) return null;
      const slots = chosen.map((g) => g.free[0]!);
      for (const s of slots) this.holders.set(s, trialId);
      return { gpus: chosen.map((g) => g.index).sort((a, b) => a - b), slots };
    }
    const slot = this.cpu.find((n) => this.holders.get(n) === null);
    if (slot === undefined) return null;
    this.holders.set(slot, trialId);
    return { gpus: [], slots: [slot] };
  }

  /** Frees what `placement` held. */
  release(placement: Placement): void {
    for (const s of placement.slots) this.holders.set(s, null);
  }

  /** Every slot and the trial it runs, for the heartbeat's telemetry. */
  describe(): WorkerSlot[] {
    return [...this.holders.entries()].map(([name, trialId]) => ({
      name,
      gpus: name.startsWith('gpu') ? [Number(name.slice(3, name.indexOf('/')))] : [],
      trialId,
    }));
  }
}
