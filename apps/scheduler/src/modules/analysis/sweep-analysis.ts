import { IMPORTANCE_METHOD, type Goal, type ParameterSpace, type SweepAnalysis } from '@ablate/contracts';
import { ablation } from './ablation.js';
import { describeKnobs, type AnalysedTrial } from './analysis-knobs.js';
import { bestSoFar } from './best-so-far.js';
import { importance } from './importance.js';
import { parallelLines } from './parallel-lines.js';

/** What the analysis is computed from: the sweep's spec and its finished, scored trials in finish order. */
export interface AnalysisInput {
  sweepId: string;
  metric: { name: string; goal: Goal };
  parameters: Record<string, ParameterSpace>;
  /** Candidate knobs (`candidateKnobs`), the order of every trial's `values`. */
  knobNames: string[];
  /** Completed and pruned trials with a score, in the order they finished. */
  finished: AnalysedTrial[];
}

/** The sweep page's analysis: knobs, importance and ablation over completed trials, best-so-far over finished ones. */
export function analyseSweep(input: AnalysisInput): SweepAnalysis {
  const completed = input.finished.filter((t) => t.status === 'completed');
  const knobs = describeKnobs(input.knobNames, input.parameters, completed);
  const { knobs: shares, residual } = importance(knobs, completed);
  return {
    sweepId: input.sweepId,
    metric: input.metric,
    completed: completed.length,
    knobs,
    importance: { method: IMPORTANCE_METHOD, knobs: shares, residual },
    ablation: ablation(knobs, completed),
    bestSoFar: bestSoFar(input.finished.map((t) => t.score), input.metric.goal),
    parallel: parallelLines(completed, input.metric.goal),
  };
}
