import type { SweepSpecInput } from '@ablate/contracts';

/** One row of the course's table, run as a sweep of `repeats` seeds. */
export interface CourseRow {
  name: string;
  template: SweepSpecInput['template'];
  /** The knob this row changes, as the table shows it. */
  knob: string;
  /** Fixed params (each becomes a one-value parameter of the sweep). */
  params: Record<string, unknown>;
  metric: SweepSpecInput['metric'];
  /** Rows on pretrained features: their params get the extractor once one is known. */
  needsExtractor?: boolean;
}

/** Sizes for a full run (the course's) and a quick one. */
const SIZES = {
  full: { images: { trainSize: 10_000, validationSize: 10_000, testSize: 10_000 }, epochs: { base: 10, dropout: 20, batchNorm: 10, augment: 40, series: 50, head: 20 }, trees: 100 },
  quick: { images: { trainSize: 2000, validationSize: 1000, testSize: 2000 }, epochs: { base: 4, dropout: 6, batchNorm: 4, augment: 8, series: 15, head: 10 }, trees: 30 },
} as const;

const TEST_ACC = { name: 'test_acc', goal: 'maximize' } as const;

/**
 * The course's rows (COURSE.md §1-2): the random forest on pixels, the base CNN and its dropout,
 * batch-norm and augmentation ablations, the causal and dilated 1D CNNs, and the transfer rows on
 * pretrained features (a random forest, a dense head, and a dense head trained on augmented images,
 * as many epochs as the plain one so the knob is the only change). Batch-norm momentum is left to the
 * template (chosen from the run's length: quick runs are short).
 */
export function courseRows(quick: boolean): CourseRow[] {
  const s = quick ? SIZES.quick : SIZES.full;
  const cnn = (epochs: number, extra: Record<string, unknown>) => ({ ...s.images, epochs, batchSize: 64, ...extra });
  const features = { trainSize: s.images.trainSize, validationSize: s.images.validationSize, testSize: s.images.testSize };
  return [
    { name: 'Random forest on pixels', template: 'random-forest', knob: `${s.trees} trees`, params: { trainSize: s.images.trainSize, testSize: s.images.testSize, trees: s.trees }, metric: TEST_ACC },
    { name: 'CNN (base)', template: 'cifar10-cnn', knob: 'inputs / 255', params: cnn(s.epochs.base, {}), metric: TEST_ACC },
    { name: 'CNN + dropout', template: 'cifar10-cnn', knob: 'dropout 0.3', params: cnn(s.epochs.dropout, { dropout: 0.3 }), metric: TEST_ACC },
    { name: 'CNN + batch norm', template: 'cifar10-cnn', knob: 'BN before ReLU, raw 0..255 input', params: cnn(s.epochs.batchNorm, { batchNorm: true }), metric: TEST_ACC },
    { name: 'CNN + augmentation', template: 'cifar10-cnn', knob: 'rot 15°, shift/shear/zoom 0.15, flip', params: cnn(s.epochs.augment, { augment: true }), metric: TEST_ACC },
    { name: '1D causal CNN', template: 'timeseries-causal-cnn', knob: 'dilations none', params: { epochs: s.epochs.series, dilations: 'none' }, metric: { name: 'val_mse', goal: 'minimize' } },
    { name: '1D dilated causal CNN', template: 'timeseries-causal-cnn', knob: 'dilations 1,2,4,8', params: { epochs: s.epochs.series, dilations: '1,2,4,8' }, metric: { name: 'val_mse', goal: 'minimize' } },
    { name: 'Random forest on pretrained features', template: 'transfer', knob: `${s.trees} trees on the extractor's features`, params: { ...features, head: 'random-forest', trees: s.trees }, metric: TEST_ACC, needsExtractor: true },
    { name: 'Transfer: dense head', template: 'transfer', knob: 'frozen extractor, dense 400-200-10', params: { ...features, head: 'dense', epochs: s.epochs.head }, metric: TEST_ACC, needsExtractor: true },
    { name: 'Transfer: dense head + augmentation', template: 'transfer', knob: 'dense 400-200-10 on augmented images (rot 15°, shift/shear/zoom 0.15, flip)', params: { ...features, head: 'dense', epochs: s.epochs.head, augment: true }, metric: TEST_ACC, needsExtractor: true },
  ];
}

/** The sweep that runs `row` with seeds 1..repeats. */
export function rowSweep(row: CourseRow, repeats: number, tag: string, extractor?: Record<string, unknown>): SweepSpecInput {
  const params = { ...row.params, ...(row.needsExtractor ? extractor : {}) };
  return {
    name: `course ${tag}: ${row.name}`,
    template: row.template,
    parameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, { values: [v] }])) as SweepSpecInput['parameters'],
    metric: row.metric,
    ...(repeats > 1 ? { repeats } : {}),
  };
}
