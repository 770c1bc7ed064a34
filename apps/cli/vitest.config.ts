import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'test/**/*.int-spec.ts'], testTimeout: 180_000, hookTimeout: 60_000, fileParallelism: false },
});
