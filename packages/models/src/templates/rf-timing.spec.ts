import { it } from 'vitest';
import { runTrial } from '../run-trial.js';
it('rf timing', async () => {
  for (const [n, trees, mf] of [[500, 10, 0.05], [1000, 10, 0.05], [1000, 10, 0.02]] as const) {
    const t0 = Date.now();
    const r = await runTrial({ template: 'random-forest', params: { trainSize: n, testSize: 500, trees, maxFeatures: mf }, dataDir: '/work/shared/datasets' });
    console.log(n, trees, mf, r.metrics, Date.now() - t0);
  }
}, 600000);
