import type { WorkerSummary } from '@ablate/contracts';
import { describe, expect, it } from 'vitest';
import { LOST_AFTER_MS, MAX_LISTED_SLOTS, commandsBadge, formatBytes, listedSlots, percentOf, upsertWorker, workerSlots, workerState } from './worker-list';

const worker = (id: string, seen: string, extra: Partial<WorkerSummary> = {}): WorkerSummary => ({
  id,
  host: `host-${id}`,
  slots: 2,
  backends: ['wasm'],
  gpus: [],
  trialsPerGpu: 1,
  cpuSlots: 2,
  state: 'live',
  telemetry: null,
  registeredAt: '2026-01-01T00:00:00.000Z',
  lastHeartbeatAt: seen,
  leases: 0,
  version: null,
  ...extra,
});

describe('worker list', () => {
  it('badges command trials as the worker says, and shows no badge when the answer predates the field', () => {
    expect(commandsBadge(worker('a', '2026-01-01T00:00:00.000Z', { commands: true }))).toMatchObject({ text: 'commands', allowed: true });
    expect(commandsBadge(worker('a', '2026-01-01T00:00:00.000Z', { commands: false }))).toMatchObject({ text: 'no commands', allowed: false, title: expect.stringContaining('ABLATE_ALLOW_COMMANDS=1') as string });
    expect(commandsBadge(worker('a', '2026-01-01T00:00:00.000Z'))).toBeNull();
  });

  it('replaces a pushed worker and keeps the most recently seen first', () => {
    const list = [worker('a', '2026-01-01T00:00:05.000Z'), worker('b', '2026-01-01T00:00:03.000Z')];
    const next = upsertWorker(list, worker('b', '2026-01-01T00:00:09.000Z', { leases: 1 }));
    expect(next.map((w) => [w.id, w.leases])).toEqual([
      ['b', 1],
      ['a', 0],
    ]);
    expect(upsertWorker(next, worker('c', '2026-01-01T00:00:01.000Z')).map((w) => w.id)).toEqual(['b', 'a', 'c']);
  });

  it('marks a worker lost when the scheduler says so or it has been silent too long', () => {
    const seen = Date.parse('2026-01-01T00:00:00.000Z');
    const w = worker('a', '2026-01-01T00:00:00.000Z');
    expect(workerState(w, seen + 1000)).toBe('live');
    expect(workerState(w, seen + LOST_AFTER_MS + 1)).toBe('lost');
    expect(workerState({ ...w, state: 'lost' }, seen)).toBe('lost');
  });

  it("shows the heartbeat's slots, or unnamed ones with the lease count busy for an agent without telemetry", () => {
    const trialId = '11111111-1111-4111-8111-111111111111';
    const telemetry = {
      cpu: { utilizationPercent: 50, cores: 2 },
      memory: { usedBytes: 1, totalBytes: 2 },
      gpus: [],
      slots: [
        { name: 'cpu0', gpus: [], trialId },
        { name: 'cpu1', gpus: [], trialId: null },
      ],
    };
    expect(workerSlots(worker('a', '', { telemetry }))).toMatchObject({ busy: 1, known: true });
    expect(workerSlots(worker('a', '', { leases: 1 }))).toMatchObject({ busy: 1, known: false, slots: [{ name: 'slot 1' }, { name: 'slot 2' }] });
  });

  it('lists every slot of a small node; on a big one the busy slots, free ones up to the limit, the rest counted', () => {
    expect(listedSlots(worker('a', '', { slots: 4, leases: 1 }))).toMatchObject({ freeNotListed: 0, slots: [{ busy: true }, { busy: false }, { busy: false }, { busy: false }] });
    const slots = Array.from({ length: 64 }, (_, i) => ({ name: `cpu${i}`, gpus: [], trialId: i % 10 === 9 ? `trial-${i}` : null }));
    const telemetry = { cpu: { utilizationPercent: 50, cores: 64 }, memory: { usedBytes: 1, totalBytes: 2 }, gpus: [], slots };
    const big = listedSlots(worker('b', '', { slots: 64, telemetry }));
    expect(big.slots).toHaveLength(MAX_LISTED_SLOTS);
    // The six busy slots, wherever they sit, with their trials; then the first free ones; in slot order.
    expect(big.slots.filter((s) => s.busy).map((s) => s.trialId)).toEqual(['trial-9', 'trial-19', 'trial-29', 'trial-39', 'trial-49', 'trial-59']);
    expect(big.slots.slice(0, 3).map((s) => s.name)).toEqual(['cpu0', 'cpu1', 'cpu2']);
    expect(big.freeNotListed).toBe(64 - MAX_LISTED_SLOTS);
    // An agent without telemetry: the first `leases` count as busy, and every busy slot is listed.
    expect(listedSlots(worker('c', '', { slots: 40, leases: 20 }))).toMatchObject({ freeNotListed: 20 });
  });

  it('formats sizes and shares', () => {
    expect(formatBytes(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(formatBytes(512)).toBe('512 B');
    expect(percentOf(40, 80)).toBe(50);
    expect(percentOf(null, 80)).toBeNull();
  });
});
