import { defineConfig, mergeConfig } from 'vitest/config';
import { plainConfig } from '../../vitest.shared.js';

export default mergeConfig(
  plainConfig,
  defineConfig({ test: { include: ['src/**/*.spec.ts', 'test/**/*.int-spec.ts'], globalSetup: ['test/global-setup.ts'], fileParallelism: false, testTimeout: 180_000 } }),
);
