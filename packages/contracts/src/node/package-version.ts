import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The version in the package.json named `name` at or above the module at `moduleUrl`: found by
 * walking up, since the same source runs from `src/`, `dist/` and the benches' `dist-bench/src/`.
 * `unknown` when none is found (a copied file), never a throw at start-up.
 */
export function packageVersion(moduleUrl: string, name: string): string {
  for (let dir = path.dirname(fileURLToPath(moduleUrl)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look higher
    }
    if (dir === path.dirname(dir)) return 'unknown';
  }
}
