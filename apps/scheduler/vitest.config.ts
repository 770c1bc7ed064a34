import { defineConfig, mergeConfig } from 'vitest/config';
import { decoratorConfig } from '../../vitest.shared.js';

export default mergeConfig(decoratorConfig, defineConfig({ test: { globalSetup: ['src/testing/global-setup.ts'], fileParallelism: false } }));
