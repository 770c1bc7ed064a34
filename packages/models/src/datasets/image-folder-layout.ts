import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetError } from './dataset-error.js';

/** Extensions read as images (sharp decodes them all; GIFs by their first frame). */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jfif', '.png', '.webp', '.gif', '.tif', '.tiff']);
/** Image formats that are skipped with a hint to convert them. */
const UNSUPPORTED_IMAGES = new Set(['.bmp', '.heic', '.heif', '.avif', '.svg', '.ico', '.raw', '.cr2', '.nef', '.psd']);
/** Folder names that mean a split, lower-cased. */
const SPLIT_NAMES: Record<string, SplitName> = { train: 'train', training: 'train', val: 'validation', valid: 'validation', validation: 'validation', test: 'test', testing: 'test' };

export type SplitName = 'train' | 'validation' | 'test';

/** One image file with what the decode cache keys on. */
export interface ImageFile {
  path: string;
  label: number;
  size: number;
  mtimeMs: number;
}

/** What a folder holds: class names, files per split (only `train` without split folders), what was left out. */
export interface FolderLayout {
  root: string;
  classes: string[];
  splits: Partial<Record<SplitName, ImageFile[]>> & { train: ImageFile[] };
  /** Whether the folder had `train/` (and `val/`, `test/`) rather than class folders at the top. */
  hasSplits: boolean;
  /** Files that are not images, by extension (`.gif` → 3); `(none)` for files without one. */
  skipped: Map<string, number>;
  /** Folders that are neither a split nor a class (hidden, `__pycache__`, no images), as paths under the root. */
  ignored: string[];
}

/**
 * A class folder is a folder whose name does not start with "." or "__" and that directly holds at
 * least one image file; anything else is ignored (and listed). When the root holds `train/` (or
 * `training/`), it is a split layout: `train/`, `val/`|`valid/`|`validation/`, `test/`|`testing/`
 * each hold the class folders, and every split must have the same classes.
 */
export async function scanImageFolder(root: string): Promise<FolderLayout> {
  const top = await listDir(root).catch((err: unknown) => {
    if (err instanceof DatasetError && err.code === 'dataset_missing') {
      throw new DatasetError(root, 'folder not found (a relative imageFolder starts at the first data root: ABLATE_DATA_ROOTS on the worker, else ABLATE_DATA_DIR)', 'dataset_missing');
    }
    throw err;
  });
  const skipped = new Map<string, number>();
  const ignored: string[] = [];
  const splitDirs = top.dirs.filter((d) => SPLIT_NAMES[d.toLowerCase()] !== undefined);
  if (!splitDirs.some((d) => SPLIT_NAMES[d.toLowerCase()] === 'train')) {
    const found = await scanClasses(root, '', skipped, ignored);
    const classes = [...found.keys()].sort();
    if (classes.length < 2) throw new DatasetError(root, `needs one sub-folder of images per class (at least 2), or train/ and val/ folders holding them; found ${classes.length} class folder(s)${ignored.length ? ` (ignored: ${ignored.join(', ')})` : ''}`);
    return { root, classes, splits: { train: withLabels(found, classes) }, hasSplits: false, skipped, ignored };
  }
  const perSplit = new Map<SplitName, Map<string, Omit<ImageFile, 'label'>[]>>();
  for (const dir of top.dirs) {
    const split = SPLIT_NAMES[dir.toLowerCase()];
    if (!split) ignored.push(dir);
    else if (perSplit.has(split)) throw new DatasetError(join(root, dir), `a second ${split} folder; keep one of ${splitDirs.join(', ')}`);
    else perSplit.set(split, await scanClasses(join(root, dir), `${dir}/`, skipped, ignored));
  }
  const classes = [...new Set([...perSplit.values()].flatMap((m) => [...m.keys()]))].sort();
  const order: SplitName[] = ['train', 'validation', 'test'];
  const missing = [...perSplit].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).filter(([, m]) => m.size < classes.length).map(([s, m]) => `${s} lacks ${classes.filter((c) => !m.has(c)).join(', ')}`);
  if (missing.length > 0) throw new DatasetError(root, `the splits have different classes: ${missing.join('; ')} (a class folder counts when it holds at least one image)`);
  if (classes.length < 2) throw new DatasetError(join(root, splitDirs[0]!), `needs one sub-folder of images per class (at least 2); found ${classes.length}`);
  const splits = { train: withLabels(perSplit.get('train')!, classes) } as FolderLayout['splits'];
  for (const s of ['validation', 'test'] as const) {
    const m = perSplit.get(s);
    if (m) splits[s] = withLabels(m, classes);
  }
  return { root, classes, splits, hasSplits: true, skipped, ignored };
}

/** Image files per class folder under `dir`, counting skipped files and listing ignored folders. */
async function scanClasses(dir: string, prefix: string, skipped: Map<string, number>, ignored: string[]): Promise<Map<string, Omit<ImageFile, 'label'>[]>> {
  const out = new Map<string, Omit<ImageFile, 'label'>[]>();
  for (const name of (await listDir(dir)).dirs) {
    const files: Omit<ImageFile, 'label'>[] = [];
    if (!name.startsWith('.') && !name.startsWith('__')) {
      for (const file of (await listDir(join(dir, name))).files) {
        const ext = extname(file).toLowerCase();
        if (file.startsWith('.')) continue; // .DS_Store, ._name (macOS resource forks)
        if (!IMAGE_EXTENSIONS.has(ext)) {
          skipped.set(ext || '(none)', (skipped.get(ext || '(none)') ?? 0) + 1);
          continue;
        }
        const path = join(dir, name, file);
        const s = await stat(path);
        files.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
    if (files.length > 0) out.set(name, files);
    else ignored.push(`${prefix}${name}`);
  }
  return out;
}

function withLabels(found: Map<string, Omit<ImageFile, 'label'>[]>, classes: string[]): ImageFile[] {
  return classes.flatMap((cls, label) => (found.get(cls) ?? []).map((f) => ({ ...f, label })));
}

async function listDir(dir: string): Promise<{ dirs: string[]; files: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    throw new DatasetError(dir, err.code === 'ENOENT' ? 'folder not found' : err.code === 'ENOTDIR' ? 'is a file; a folder of class folders was expected' : err.message, err.code === 'ENOENT' ? 'dataset_missing' : 'dataset_corrupt');
  });
  const sorted = (names: string[]) => names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { dirs: sorted(entries.filter((e) => e.isDirectory()).map((e) => e.name)), files: sorted(entries.filter((e) => e.isFile()).map((e) => e.name)) };
}

/** "skipped 3 .gif, 1 .bmp (unsupported: convert to PNG/JPEG); 2 .txt", or null when nothing was skipped. */
export function describeSkipped(skipped: Map<string, number>): string | null {
  if (skipped.size === 0) return null;
  const list = (exts: string[]) => exts.map((e) => `${skipped.get(e)} ${e}`).join(', ');
  const unsupported = [...skipped.keys()].filter((e) => UNSUPPORTED_IMAGES.has(e)).sort();
  const other = [...skipped.keys()].filter((e) => !UNSUPPORTED_IMAGES.has(e)).sort();
  const parts = [unsupported.length ? `${list(unsupported)} (unsupported images: convert them to PNG/JPEG)` : '', other.length ? `${list(other)} (not images)` : ''];
  return `skipped ${parts.filter(Boolean).join('; ')}`;
}
