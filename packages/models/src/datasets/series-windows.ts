/** Forecasting examples: input windows, the steps that follow them, and long forecasts to score. */
export interface SeriesWindows {
  inputSteps: number;
  lookAhead: number;
  /** `trainCount * inputSteps` inputs and `trainCount * lookAhead` targets. */
  trainX: Float32Array;
  trainY: Float32Array;
  trainCount: number;
  valX: Float32Array;
  valY: Float32Array;
  valCount: number;
  /** Auto-regressive forecasts to score: each context is `inputSteps` long, each truth `forecastSteps`. */
  forecast: { contexts: Float32Array[]; truths: Float32Array[] };
}
