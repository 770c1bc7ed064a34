import type { PrunerSpec } from '@ablate/contracts';
import { rungCrossed, rungStep } from './asha.pruner.js';
import type { PrunerCheck } from './pruning.types.js';

/**
 * What the report path must load for a report that moves a trial from `previousStep` to `step`
 * (O(1)): for the median pruner, the other trials' best values at `step` once past the warm-up;
 * for ASHA, the rung the report crosses, if any; else nothing.
 */
export function prunerCheck(pruner: PrunerSpec | undefined, previousStep: number, step: number): PrunerCheck {
  if (pruner === undefined || step <= previousStep) return { kind: 'none' };
  switch (pruner.type) {
    case 'none':
      return { kind: 'none' };
    case 'median':
      return step > pruner.warmupSteps ? { kind: 'median', step } : { kind: 'none' };
    case 'asha': {
      const rung = rungCrossed(pruner, previousStep, step);
      return rung === undefined ? { kind: 'none' } : { kind: 'asha', rung, rungStep: rungStep(pruner, rung) };
    }
  }
}
