import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, loadImageFolder } from './image-folder.js';

async function solid(path: string, rgb: [number, number, number], format: 'png' | 'jpeg'): Promise<void> {
  const img = sharp({ create: { width: 40, height: 30, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  await (format === 'png' ? img.png() : img.jpeg({ quality: 100 })).toFile(path);
}

describe('image folder', () => {
  it('reads one class per sub-folder, resized to the template input', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ablate-images-'));
    await mkdir(join(root, 'cats'));
    await mkdir(join(root, 'dogs'));
    for (let i = 0; i < 3; i++) {
      await solid(join(root, 'cats', `${i}.png`), [255, 0, 0], 'png');
      await solid(join(root, 'dogs', `${i}.jpg`), [0, 0, 255], 'jpeg');
    }
    const { images, classes } = await loadImageFolder(root, 32);
    expect(classes).toEqual(['cats', 'dogs']);
    expect([images.count, images.height, images.width, images.channels]).toEqual([6, 32, 32, 3]);
    for (let i = 0; i < images.count; i++) {
      const red = images.pixels[i * 32 * 32 * 3]!;
      expect(red > 128 ? 0 : 1).toBe(images.labels[i]);
    }
  });

  it('names a missing folder, an empty, truncated or corrupt image', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ablate-images-bad-'));
    await expect(loadImageFolder(join(root, 'nope'), 32)).rejects.toThrow(`${join(root, 'nope')}: folder not found`);
    await expect(loadImageFolder(root, 32)).rejects.toThrow(/needs one sub-folder of images per class/);
    const empty = join(root, 'empty.png');
    await writeFile(empty, '');
    await expect(decodeImage(empty, 32)).rejects.toThrow(`${empty}: empty file`);
    const good = join(root, 'good.jpg');
    await solid(good, [10, 20, 30], 'jpeg');
    const truncated = join(root, 'truncated.jpg');
    const bytes = await readFile(good);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(decodeImage(truncated, 32)).rejects.toThrow(`${truncated}: cannot decode the image`);
    const corrupt = join(root, 'corrupt.png');
    await writeFile(corrupt, 'this is not a png');
    await expect(decodeImage(corrupt, 32)).rejects.toThrow(`${corrupt}: cannot decode the image`);
    await expect(decodeImage(join(root, 'gone.png'), 32)).rejects.toThrow(/gone\.png: file not found/);
  });
});
