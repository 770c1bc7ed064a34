import { describe, expect, it } from 'vitest';
import { parseNvidiaSmi, type GpuStat } from './gpu-probe.js';
import { selectGpus } from './gpu-selection.js';

const node: GpuStat[] = parseNvidiaSmi(
  [
    '0, NVIDIA A100-SXM4-80GB, 81920, 1024, 37',
    '1, NVIDIA A100-SXM4-80GB, 81920, [N/A], [Not Supported]',
    '2, Tesla T4, PCIe, 15360, 0, 0',
    '',
  ].join('\n'),
);

describe('GPUs', () => {
  it('reads nvidia-smi csv: unknown gauges are null, a name may hold a comma', () => {
    expect(node).toEqual([
      {
        index: 0,
        name: 'NVIDIA A100-SXM4-80GB',
        memoryTotalMb: 81920,
        memoryUsedMb: 1024,
        utilizationPercent: 37,
      },
      {
        index: 1,
        name: 'NVIDIA A100-SXM4-80GB',
        memoryTotalMb: 81920,
        memoryUsedMb: null,
        utilizationPercent: null,
      },
      { index: 2, name: 'Tesla T4, PCIe', memoryTotalMb: 15360, memoryUsedMb: 0, utilizationPercent: 0 },
    ]);
    expect(() => parseNvidiaSmi('No devices were found')).toThrow(/expected 5/);
  });

  it('honours CUDA_VISIBLE_DEVICES (up to its first invalid entry), then --gpus', () => {
    const idx = (gs: GpuStat[]) => gs.map((g) => g.index);
    expect(idx(selectGpus(node, {}))).toEqual([0, 1, 2]);
    expect(idx(selectGpus(node, { cudaVisibleDevices: '2,0' }))).toEqual([2, 0]);
    expect(idx(selectGpus(node, { cudaVisibleDevices: '1,-1,2' }))).toEqual([1]);
    expect(idx(selectGpus(node, { cudaVisibleDevices: '' }))).toEqual([]);
    expect(idx(selectGpus(node, { requested: '2,1' }))).toEqual([2, 1]);
    expect(idx(selectGpus(node, { requested: 'none' }))).toEqual([]);
    expect(idx(selectGpus(node, { requested: 'all', cudaVisibleDevices: '1' }))).toEqual([1]);
  });

  it('stops on a GPU the node lacks or hides, naming what it found', () => {
    expect(() => selectGpus(node, { requested: '0,5' })).toThrow(
      '--gpus names GPU 5, which this node does not have; GPUs found: 0 (NVIDIA A100-SXM4-80GB, 81920 MiB), 1 (NVIDIA A100-SXM4-80GB, 81920 MiB), 2 (Tesla T4, PCIe, 15360 MiB).',
    );
    expect(() => selectGpus(node, { requested: '0', cudaVisibleDevices: '1' })).toThrow(
      /GPUs found: 1 .*CUDA_VISIBLE_DEVICES=1 hides the others/,
    );
    expect(() => selectGpus(node, { requested: 'first' })).toThrow(/"first" is not a GPU index/);
    expect(() => selectGpus(node, { cudaVisibleDevices: 'GPU-8f1c' })).toThrow(/not UUIDs/);
  });
});
