import Taro from '@tarojs/taro';

/** Avatars are kept small: 160 px squares, JPEG, a few kilobytes as a data URL. */
const SIZE = 160;

/**
 * WeChat: the picture chosen with `<button open-type="chooseAvatar">` is a temporary file; compressed and read
 * as base64 it becomes the data URL the server keeps.
 */
async function weappDataUrl(tempPath: string): Promise<string> {
  let path = tempPath;
  try {
    path = (await Taro.compressImage({ src: tempPath, quality: 70, compressedWidth: SIZE }))
      .tempFilePath;
  } catch {
    // Older base libraries cannot compress: the original is used (WeChat avatars are already small).
  }
  const base64 = Taro.getFileSystemManager().readFileSync(path, 'base64') as string;
  const type = /\.png$/i.test(path) ? 'png' : 'jpeg';
  return `data:image/${type};base64,${base64}`;
}

/** Browser: the picture is drawn centred and cropped onto a small canvas and exported as JPEG. */
async function browserDataUrl(blobUrl: string): Promise<string> {
  const image = new Image();
  image.src = blobUrl;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = SIZE;
  canvas.height = SIZE;
  const side = Math.min(image.naturalWidth, image.naturalHeight);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas unavailable');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, SIZE, SIZE);
  ctx.drawImage(
    image,
    (image.naturalWidth - side) / 2,
    (image.naturalHeight - side) / 2,
    side,
    side,
    0,
    0,
    SIZE,
    SIZE,
  );
  return canvas.toDataURL('image/jpeg', 0.8);
}

/** The avatar WeChat's chooseAvatar handed over, as a data URL. */
export function avatarFromWechat(tempPath: string): Promise<string> {
  return weappDataUrl(tempPath);
}

/** In the browser build a file picker stands in for WeChat's avatar chooser. */
export async function pickAvatarInBrowser(): Promise<string | null> {
  const picked = await Taro.chooseImage({ count: 1, sizeType: ['compressed'] }).catch(() => null);
  const path = picked?.tempFilePaths[0];
  return path ? browserDataUrl(path) : null;
}
