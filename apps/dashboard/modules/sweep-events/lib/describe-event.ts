import type { SweepEvent } from '@ablate/contracts';

/** What happened, in words: `raised max trials from 20 to 40`, `cancelled trial #3`. */
export function describeEvent(event: SweepEvent): string {
  const detail = event.detail;
  const reason = typeof detail.reason === 'string' ? `: ${detail.reason}` : '';
  switch (event.action) {
    case 'created':
      return 'launched the sweep';
    case 'paused':
      return 'paused the sweep';
    case 'resumed':
      return 'resumed the sweep';
    case 'stopped':
      return 'stopped the sweep (running trials finish)';
    case 'cancelled':
      return `cancelled the sweep${reason}`;
    case 'trial_cancelled':
      return `cancelled trial ${trialName(event)}`;
    case 'max_trials_raised': {
      const change = detail.maxTrials as { from?: unknown; to?: unknown } | undefined;
      const number = (n: unknown) => (typeof n === 'number' ? String(n) : '?');
      return change ? `raised max trials from ${number(change.from)} to ${number(change.to)}` : 'raised max trials';
    }
    case 'completed':
      return `completed${reason}`;
    case 'failed':
      return `failed${reason}`;
  }
}

function trialName(event: SweepEvent): string {
  const index = event.detail.index;
  if (typeof index === 'number') return `#${index}`;
  return event.trialId ? event.trialId.slice(0, 8) : '';
}

/** The budget now: the last raise, else the spec's `maxTrials`, else the trials the sweep has. */
export function currentBudget(events: readonly SweepEvent[], specMaxTrials: number | undefined, total: number): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const to = (e.detail.maxTrials as { to?: unknown } | undefined)?.to;
    if (e.action === 'max_trials_raised' && typeof to === 'number') return to;
  }
  return specMaxTrials ?? total;
}
