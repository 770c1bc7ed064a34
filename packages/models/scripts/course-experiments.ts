/** One row of the course reproduction: a template run with the lesson's knob. */
export interface CourseExperiment {
  name: string;
  template: string;
  /** The knob this row changes, as the table shows it. */
  knob: string;
  params: Record<string, unknown>;
}

/** Sizes for a full run (the course's) and a quick one (for CI and laptops). */
const SIZES = {
  full: { images: { trainSize: 10_000, validationSize: 10_000, testSize: 10_000 }, epochs: { base: 10, dropout: 20, batchNorm: 10, augment: 40, series: 50 }, trees: 100 },
  quick: { images: { trainSize: 2000, validationSize: 1000, testSize: 2000 }, epochs: { base: 4, dropout: 6, batchNorm: 4, augment: 8, series: 15 }, trees: 30 },
} as const;

/**
 * The course's CIFAR-10 rows (random forest on pixels, base CNN, +dropout, +batch norm,
 * +augmentation) and both 1D forecasting models, with the course's settings in full mode.
 */
export function courseExperiments(quick: boolean, seed: number): CourseExperiment[] {
  const s = quick ? SIZES.quick : SIZES.full;
  const cnn = (epochs: number, extra: Record<string, unknown>) => ({ ...s.images, epochs, batchSize: 64, seed, ...extra });
  return [
    { name: 'Random forest on pixels', template: 'random-forest', knob: `${s.trees} trees`, params: { trainSize: s.images.trainSize, testSize: s.images.testSize, trees: s.trees, seed } },
    { name: 'CNN (base)', template: 'cifar10-cnn', knob: 'inputs / 255', params: cnn(s.epochs.base, {}) },
    { name: 'CNN + dropout', template: 'cifar10-cnn', knob: 'dropout 0.3', params: cnn(s.epochs.dropout, { dropout: 0.3 }) },
    // 125 steps of a quick run are too few for BN's moving statistics at momentum 0.99 (see the param)
    quick
      ? { name: 'CNN + batch norm', template: 'cifar10-cnn', knob: 'BN before ReLU (momentum 0.9), raw 0..255 input', params: cnn(s.epochs.batchNorm, { batchNorm: true, batchNormMomentum: 0.9 }) }
      : { name: 'CNN + batch norm', template: 'cifar10-cnn', knob: 'BN before ReLU, raw 0..255 input', params: cnn(s.epochs.batchNorm, { batchNorm: true }) },
    // Not a course row: the same knob with BN after each convolution's ReLU instead of before it (batchNormPosition).
    { name: 'CNN + batch norm after ReLU', template: 'cifar10-cnn', knob: `BN after ReLU${quick ? ' (momentum 0.9)' : ''}, raw 0..255 input`, params: cnn(s.epochs.batchNorm, { batchNorm: true, batchNormPosition: 'after-activation', ...(quick ? { batchNormMomentum: 0.9 } : {}) }) },
    { name: 'CNN + augmentation', template: 'cifar10-cnn', knob: 'rot 15°, shift/shear/zoom 0.15, flip', params: cnn(s.epochs.augment, { augment: true }) },
    { name: '1D causal CNN', template: 'timeseries-causal-cnn', knob: 'dilations none', params: { epochs: s.epochs.series, dilations: 'none', seed } },
    { name: '1D dilated causal CNN', template: 'timeseries-causal-cnn', knob: 'dilations 1,2,4,8', params: { epochs: s.epochs.series, dilations: '1,2,4,8', seed } },
  ];
}
