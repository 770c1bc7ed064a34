import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/** Vitest config for packages whose code uses Nest decorators: swc emits decorator metadata, esbuild does not. */
export const decoratorConfig = defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  test: { include: ['src/**/*.spec.ts', 'src/**/*.int-spec.ts', 'test/**/*.spec.ts', 'test/**/*.int-spec.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});

/** Vitest config for plain TypeScript packages. */
export const plainConfig = defineConfig({
  test: { include: ['src/**/*.spec.ts', 'src/**/*.int-spec.ts', 'test/**/*.spec.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
