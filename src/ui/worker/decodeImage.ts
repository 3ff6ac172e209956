/** An image file decoded and resized to the input's size, in a worker (createImageBitmap and OffscreenCanvas). */
import type { Pixels } from '../../core/tensorFiles/imageTensor';
import { VerifyInputError } from '../../core/verify/verifyInputs';

export async function decodeImage(input: string, fileName: string, file: Blob, width: number, height: number): Promise<Pixels> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
  } catch (e) {
    throw new VerifyInputError('values', input, `Input "${input}": ${fileName} could not be decoded as an image (${e instanceof Error ? e.message : String(e)}). Use a PNG, JPEG, WebP or GIF file.`);
  }
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width, height, rgba: ctx.getImageData(0, 0, width, height).data };
}
