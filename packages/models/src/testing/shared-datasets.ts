import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The course's datasets, `../shared/datasets` beside the repository root (CI clones the repository
 * anywhere, with `shared/` beside it); ABLATE_SHARED_DATASETS points elsewhere. Tests and benches
 * only: this file sits at the same depth under src/ and dist/.
 */
export const SHARED_DATASETS =
  process.env['ABLATE_SHARED_DATASETS'] ??
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/datasets');
