import { mkdir, mkdtemp, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrial } from '../run-trial.js';
import { confinePathParams } from './confine-params.js';
import { confineDataPath, resolveDataRoots } from './data-roots.js';
import { DatasetError } from './dataset-error.js';

let base: string;
let root: string;
let other: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'ablate-roots-')));
  root = join(base, 'root');
  other = join(base, 'root-evil'); // shares the root's name as a prefix
  await mkdir(join(root, 'flowers'), { recursive: true });
  await mkdir(other);
  await writeFile(join(root, 'series.csv'), 't,v\n1,2\n');
  await symlink('/etc', join(root, 'etc-link'));
  await symlink(join(root, 'flowers'), join(root, 'flowers-link'));
  await symlink(join(base, 'gone'), join(root, 'dangling'));
});

async function refusal(param: string, value: string, roots = [root]): Promise<DatasetError> {
  const err = await confineDataPath(param, value, roots).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetError);
  return err as DatasetError;
}

describe('data roots', () => {
  it('come from the explicit list, else ABLATE_DATA_ROOTS, else the cache and <cwd>/datasets', () => {
    expect(resolveDataRoots(['/a', '/b/../c'])).toEqual(['/a', '/c']);
    expect(resolveDataRoots(undefined, '/cache', { ABLATE_DATA_ROOTS: ['/x', '', '/y'].join(delimiter) })).toEqual(['/x', '/y']);
    expect(resolveDataRoots(undefined, '/cache', {})).toEqual(['/cache', join(process.cwd(), 'datasets')]);
  });

  it('let through paths inside a root, as real paths; a relative one is read from the first root', async () => {
    expect(await confineDataPath('imageFolder', join(root, 'flowers'), [other, root])).toBe(join(root, 'flowers'));
    expect(await confineDataPath('imageFolder', 'flowers', [root])).toBe(join(root, 'flowers'));
    expect(await confineDataPath('imageFolder', 'flowers-link', [root])).toBe(join(root, 'flowers'));
    expect(await confineDataPath('csvPath', join(root, 'series.csv'), [root])).toBe(join(root, 'series.csv'));
    // not there yet: allowed, so the loader can say "not found"
    expect(await confineDataPath('csvPath', 'later/x.csv', [root])).toBe(join(root, 'later', 'x.csv'));
    // a root given through a symlink still holds its own files
    await symlink(root, join(base, 'root-alias'));
    expect(await confineDataPath('imageFolder', 'flowers', [join(base, 'root-alias')])).toBe(join(root, 'flowers'));
  });

  it('refuse /etc, "..", a symlink out, a dangling symlink and a sibling with the same prefix', async () => {
    const etc = await refusal('imageFolder', '/etc');
    expect(etc.message).toContain('/etc: imageFolder "/etc" lies outside the data roots');
    expect(etc.message).toContain(root);
    expect(etc.message).toContain('ABLATE_DATA_ROOTS');
    expect(etc.name).toBe('DatasetError');
    expect((await refusal('csvPath', '../root-evil/x.csv')).file).toBe(join(other, 'x.csv'));
    expect((await refusal('imageFolder', 'etc-link')).file).toBe(await realpath('/etc'));
    expect((await refusal('imageFolder', 'etc-link/ssl/none')).file).toBe(join(await realpath('/etc'), 'ssl', 'none'));
    expect((await refusal('imageFolder', other)).file).toBe(other);
    expect((await refusal('csvPath', 'dangling')).message).toMatch(/symbolic link to a missing target/);
    expect((await refusal('csvPath', 'a\0b')).message).toMatch(/NUL/);
    expect((await refusal('csvPath', 'x', [])).message).toMatch(/no data roots/);
  });

  it('confine every path param of a template and leave model URLs alone', async () => {
    const params = { extractor: 'https://models.example/vgg16/model.json', imageFolder: 'flowers', dropout: 0.5 };
    expect(await confinePathParams(params, [root])).toEqual({ ...params, imageFolder: join(root, 'flowers') });
    expect(await confinePathParams({ extractor: `file://${root}/m/model.json` }, [root])).toEqual({ extractor: join(root, 'm', 'model.json') });
    await expect(confinePathParams({ extractor: 'file:///etc/model.json' }, [root])).rejects.toThrow(/extractor "\/etc\/model.json" lies outside/);
  });

  it('fail a trial before it trains when a spec points outside the roots (not retryable: a DatasetError)', async () => {
    const dataRoots = [root];
    const cases = [
      { template: 'timeseries-causal-cnn', params: { dataset: 'csv', csvPath: '/etc/passwd' } },
      { template: 'cifar10-cnn', params: { dataset: 'image-folder', imageFolder: '/etc' } },
      { template: 'transfer', params: { extractor: '/root/model.json' } },
    ];
    for (const c of cases) await expect(runTrial({ ...c, dataRoots })).rejects.toMatchObject({ name: 'DatasetError', message: /lies outside the data roots/ });
  });
});
