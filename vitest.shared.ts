import { defineConfig } from 'vitest/config';

/** Vitest config for plain TypeScript packages (unit tests next to the code). */
export const plainConfig = defineConfig({
  test: { include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
